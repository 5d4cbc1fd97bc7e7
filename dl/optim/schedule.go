package optim

import (
	"fmt"
	"math"
)

// Schedule gives the learning rate for a step, counting the first step
// as 0. Schedules are plain functions, so they compose and are easy to
// plot. To use one, set the optimizer's learning rate before each Step,
// through [LRSetter] or the LR field:
//
//	sched := optim.Warmup(100, optim.Cosine(1e-3, 1e-5, 900))
//	for step := range 1000 {
//		opt.SetLR(sched(step)) // or opt.LR = sched(step)
//		// … Backward …
//		opt.Step(params)
//	}
//
// An LR of 0 means 0: a step with it leaves the parameters where they
// are, so [Cosine] with a min of 0 ends training standing still. Only the
// first Step needs an LR above 0 (it checks the settings), so a schedule
// should start above 0; [Warmup] does.
type Schedule func(step int) float64

// LRSetter is an optimizer whose learning rate can be changed between
// steps, as a [Schedule] does. SGD, RMSProp, Adam and AdamW implement it.
type LRSetter interface {
	// SetLR sets the learning rate for the next Step. It accepts 0, where
	// a schedule may end, and panics if lr is negative, NaN or infinite.
	SetLR(lr float64)
}

// SetLR sets LR, the learning rate for the next Step. An lr of 0 is
// allowed, as a schedule may end there: the parameters then stay where
// they are. SetLR panics if lr is negative, NaN or infinite.
func (o *SGD) SetLR(lr float64) { o.LR = checkLR("SGD", lr) }

// SetLR sets LR, the learning rate for the next Step. An lr of 0 is
// allowed, as a schedule may end there: the parameters then stay where
// they are, while the mean square still follows the gradients. SetLR
// panics if lr is negative, NaN or infinite.
func (o *RMSProp) SetLR(lr float64) { o.LR = checkLR("RMSProp", lr) }

// SetLR sets LR, the learning rate for the next Step. An lr of 0 is
// allowed, as a schedule may end there: the parameters then stay where
// they are, while the moments still follow the gradients. SetLR panics if
// lr is negative, NaN or infinite.
func (o *Adam) SetLR(lr float64) { o.LR = checkLR("Adam", lr) }

// SetLR sets LR, the learning rate for the next Step. An lr of 0 is
// allowed, as a schedule may end there: the parameters then stay where
// they are, not even decayed, while the moments still follow the
// gradients. SetLR panics if lr is negative, NaN or infinite.
func (o *AdamW) SetLR(lr float64) { o.LR = checkLR("AdamW", lr) }

// StepDecay multiplies the learning rate by gamma every `every` steps,
// as PyTorch's torch.optim.lr_scheduler.StepLR does:
//
//	lr(step) = base·gamma^⌊step/every⌋
//
// StepDecay panics if base or gamma is negative or every is not positive;
// the Schedule it returns panics if step is negative.
func StepDecay(base float64, every int, gamma float64) Schedule {
	if base < 0 || gamma < 0 || every <= 0 {
		panic(fmt.Sprintf("optim: StepDecay: base %v and gamma %v must not be negative, and every %d must be positive", base, gamma, every))
	}
	return func(step int) float64 {
		checkStep("StepDecay", step)
		return base * math.Pow(gamma, float64(step/every))
	}
}

// Cosine anneals the learning rate from base down to min along half a
// cosine over total steps (Loshchilov & Hutter, 2016, SGDR, without
// restarts), as PyTorch's CosineAnnealingLR does, then holds it at min:
//
//	lr(step) = min + (base − min)·(1 + cos(π·step/total))/2   for step ≤ total
//	lr(step) = min                                             for step ≥ total
//
// PyTorch's scheduler instead climbs back up after total steps; holding
// at min is what a training run that overshoots total wants.
//
// Cosine panics if base or min is negative or total is not positive; the
// Schedule it returns panics if step is negative.
func Cosine(base, min float64, total int) Schedule {
	if base < 0 || min < 0 || total <= 0 {
		panic(fmt.Sprintf("optim: Cosine: base %v and min %v must not be negative, and total %d must be positive", base, min, total))
	}
	return func(step int) float64 {
		checkStep("Cosine", step)
		if step >= total {
			return min
		}
		return min + (base-min)*(1+math.Cos(math.Pi*float64(step)/float64(total)))/2
	}
}

// Warmup climbs linearly to then's first learning rate over the first
// `steps` steps, and then follows then, whose own steps start at 0 when
// the warm-up ends (as PyTorch's SequentialLR hands over):
//
//	lr(step) = then(0)·(step + 1)/(steps + 1)   for step < steps
//	lr(step) = then(step − steps)               for step ≥ steps
//
// So Warmup(100, Cosine(base, min, 900)) reaches base at step 100 and
// min at step 1000. The line starts from 0 one step before the first,
// as in nanoGPT, so that step 0 already learns: an optimizer's first Step
// needs an LR above 0. Warmup(0, then) is then.
//
// Warmup panics if steps is negative or then is nil; the Schedule it
// returns panics if step is negative.
func Warmup(steps int, then Schedule) Schedule {
	if steps < 0 {
		panic(fmt.Sprintf("optim: Warmup: steps %d must not be negative", steps))
	}
	if then == nil {
		panic("optim: Warmup: then is nil")
	}
	return func(step int) float64 {
		checkStep("Warmup", step)
		if step >= steps {
			return then(step - steps)
		}
		return then(0) * float64(step+1) / float64(steps+1)
	}
}

// checkStep panics if step is negative.
func checkStep(name string, step int) {
	if step < 0 {
		panic(fmt.Sprintf("optim: %s: step %d must not be negative", name, step))
	}
}
