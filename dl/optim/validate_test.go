package optim_test

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/internal/testutil"
)

// All optimizers can check their settings.
var (
	_ optim.Validator = (*optim.SGD)(nil)
	_ optim.Validator = (*optim.RMSProp)(nil)
	_ optim.Validator = (*optim.Adam)(nil)
	_ optim.Validator = (*optim.AdamW)(nil)
)

// checked is an optimizer that can check its settings.
type checked interface {
	optim.Optimizer
	optim.Validator
}

// The constructors set the values their docs give, which Validate accepts.
func TestConstructors(t *testing.T) {
	tests := []struct {
		got, want checked
	}{
		{optim.NewSGD(0.1), &optim.SGD{LR: 0.1}},
		{optim.NewRMSProp(0.1), &optim.RMSProp{LR: 0.1, Alpha: 0.99, Eps: 1e-8}},
		{optim.NewAdam(0.1), &optim.Adam{LR: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}},
		{optim.NewAdamW(0.1), &optim.AdamW{LR: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01}},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("constructor gives %+v, want %+v", tt.got, tt.want)
		}
		if err := tt.got.Validate(); err != nil {
			t.Errorf("%T from its constructor: %v", tt.got, err)
		}
	}
}

// Helpers that build an optimizer with its constructor, then change it.
func sgd(f func(o *optim.SGD)) *optim.SGD             { o := optim.NewSGD(0.1); f(o); return o }
func rmsprop(f func(o *optim.RMSProp)) *optim.RMSProp { o := optim.NewRMSProp(0.1); f(o); return o }
func adam(f func(o *optim.Adam)) *optim.Adam          { o := optim.NewAdam(0.1); f(o); return o }
func adamW(f func(o *optim.AdamW)) *optim.AdamW       { o := optim.NewAdamW(0.1); f(o); return o }

// Each setting that cannot work gives one error that names the field and
// its value, and the first Step panics with that message.
func TestValidate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		opt  checked
		want string
	}{
		{sgd(func(o *optim.SGD) { o.LR = -1 }), "optim: SGD: LR is -1; it must be above 0"},
		{sgd(func(o *optim.SGD) { o.LR = nan }), "optim: SGD: LR is NaN; it must be a finite number above 0"},
		{sgd(func(o *optim.SGD) { o.LR = inf }), "optim: SGD: LR is +Inf; it must be a finite number above 0"},
		{sgd(func(o *optim.SGD) { o.Momentum = -0.5 }), "optim: SGD: Momentum is -0.5; it must be in [0, 1)"},
		{sgd(func(o *optim.SGD) { o.Momentum = 1 }), "optim: SGD: Momentum is 1; it must be in [0, 1)"},
		{sgd(func(o *optim.SGD) { o.Momentum = nan }), "optim: SGD: Momentum is NaN; it must be a finite number in [0, 1)"},
		{sgd(func(o *optim.SGD) { o.WeightDecay = -0.1 }), "optim: SGD: WeightDecay is -0.1; it must be at least 0"},
		{sgd(func(o *optim.SGD) { o.WeightDecay = inf }), "optim: SGD: WeightDecay is +Inf; it must be a finite number at least 0"},
		{sgd(func(o *optim.SGD) { o.Nesterov = true }), "optim: SGD: Nesterov is set but Momentum is 0; Nesterov needs a Momentum above 0, e.g. 0.9"},
		{rmsprop(func(o *optim.RMSProp) { o.LR = -0.01 }), "optim: RMSProp: LR is -0.01; it must be above 0"},
		{rmsprop(func(o *optim.RMSProp) { o.Alpha = 1 }), "optim: RMSProp: Alpha is 1; it must be in [0, 1)"},
		{rmsprop(func(o *optim.RMSProp) { o.Alpha = -0.5 }), "optim: RMSProp: Alpha is -0.5; it must be in [0, 1)"},
		{rmsprop(func(o *optim.RMSProp) { o.Alpha = nan }), "optim: RMSProp: Alpha is NaN; it must be a finite number in [0, 1)"},
		{rmsprop(func(o *optim.RMSProp) { o.Eps = -1e-8 }), "optim: RMSProp: Eps is -1e-08; it must be above 0"},
		{rmsprop(func(o *optim.RMSProp) { o.Momentum = 1.5 }), "optim: RMSProp: Momentum is 1.5; it must be in [0, 1)"},
		{rmsprop(func(o *optim.RMSProp) { o.WeightDecay = -1 }), "optim: RMSProp: WeightDecay is -1; it must be at least 0"},
		{adam(func(o *optim.Adam) { o.LR = -inf }), "optim: Adam: LR is -Inf; it must be a finite number above 0"},
		{adam(func(o *optim.Adam) { o.Beta1 = 1 }), "optim: Adam: Beta1 is 1; it must be in [0, 1)"},
		{adam(func(o *optim.Adam) { o.Beta1 = nan }), "optim: Adam: Beta1 is NaN; it must be a finite number in [0, 1)"},
		{adam(func(o *optim.Adam) { o.Beta2 = -0.1 }), "optim: Adam: Beta2 is -0.1; it must be in [0, 1)"},
		{adam(func(o *optim.Adam) { o.Eps = inf }), "optim: Adam: Eps is +Inf; it must be a finite number above 0"},
		{adam(func(o *optim.Adam) { o.WeightDecay = nan }), "optim: Adam: WeightDecay is NaN; it must be a finite number at least 0"},
		{adamW(func(o *optim.AdamW) { o.LR = nan }), "optim: AdamW: LR is NaN; it must be a finite number above 0"},
		{adamW(func(o *optim.AdamW) { o.Beta2 = 1.5 }), "optim: AdamW: Beta2 is 1.5; it must be in [0, 1)"},
		{adamW(func(o *optim.AdamW) { o.Eps = -1 }), "optim: AdamW: Eps is -1; it must be above 0"},
		{adamW(func(o *optim.AdamW) { o.WeightDecay = -0.01 }), "optim: AdamW: WeightDecay is -0.01; it must be at least 0"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if err := tt.opt.Validate(); err == nil || err.Error() != tt.want {
				t.Errorf("Validate() = %v, want %q", err, tt.want)
			}
			testutil.Panics(t, tt.want, func() { tt.opt.Step(nil) })
		})
	}
}

// A bare struct literal that leaves LR or Eps at 0 fails with a message
// that names the constructor to use, and what it sets.
func TestValidateBareLiteral(t *testing.T) {
	tests := []struct {
		opt  checked
		want []string
	}{
		{&optim.SGD{}, []string{"optim: SGD: LR is 0; it must be above 0. A bare optim.SGD{...} literal", "optim.NewSGD(lr)"}},
		{&optim.SGD{Momentum: 0.9}, []string{"optim: SGD: LR is 0;", "optim.NewSGD(lr)"}},
		{&optim.RMSProp{LR: 0.01}, []string{"optim: RMSProp: Eps is 0;", "optim.NewRMSProp(lr), which sets Alpha 0.99 and Eps 1e-8"}},
		{&optim.Adam{}, []string{"optim: Adam: LR is 0;", "optim.NewAdam(lr)"}},
		{&optim.AdamW{LR: 1e-3}, []string{"optim: AdamW: Eps is 0;", "optim.NewAdamW(lr), which sets Beta1 0.9, Beta2 0.999, Eps 1e-8 and WeightDecay 0.01"}},
		{&optim.Adam{LR: 1e-3}, []string{"optim: Adam: Eps is 0; it must be above 0. " +
			"A bare optim.Adam{...} literal leaves every field it does not name at 0: " +
			"build it with optim.NewAdam(lr), which sets Beta1 0.9, Beta2 0.999 and Eps 1e-8, then change the fields you want"}},
	}
	for _, tt := range tests {
		err := tt.opt.Validate()
		for _, want := range tt.want {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%T%+v: Validate() = %v, want it to contain %q", tt.opt, tt.opt, err, want)
			}
		}
		testutil.Panics(t, tt.want[0], func() { tt.opt.Step(nil) })
	}
}

// The settings are checked on the first Step only: a field made bad
// after it is not caught, by design, while Validate still sees it.
// Validate itself does not count as the first Step's check.
func TestValidateOnce(t *testing.T) {
	opt := optim.NewAdam(0.1)
	p := param(1)
	setGrad(p, 1)
	opt.Step([]*dl.Tensor{p}) // 1 − 0.1
	opt.LR = -0.1
	setGrad(p, 1)
	opt.Step([]*dl.Tensor{p}) // no panic: 0.9 + 0.1
	if !approx(p.Data(), []float64{1}, 1e-8) {
		t.Errorf("p = %v after a step with LR −0.1, want 1", p.Data())
	}
	if err := opt.Validate(); err == nil || !strings.Contains(err.Error(), "LR is -0.1") {
		t.Errorf("Validate after LR = −0.1: %v", err)
	}

	fresh := optim.NewSGD(0.1)
	if err := fresh.Validate(); err != nil {
		t.Fatal(err)
	}
	fresh.Momentum = 1
	testutil.Panics(t, "optim: SGD: Momentum is 1", func() { fresh.Step(nil) })
	// A first Step that panicked did not pass: the next one checks again.
	testutil.Panics(t, "optim: SGD: Momentum is 1", func() { fresh.Step(nil) })
}

// SetLR accepts 0, with which a step leaves the parameters where they
// are, and panics on a negative, NaN or infinite rate.
func TestSetLRBounds(t *testing.T) {
	for _, opt := range []interface {
		optim.Optimizer
		optim.LRSetter
	}{optim.NewSGD(0.1), optim.NewRMSProp(0.1), optim.NewAdam(0.1), optim.NewAdamW(0.1)} {
		name := fmt.Sprintf("%T", opt)[len("*optim."):]
		p := param(1)
		setGrad(p, 1)
		opt.Step([]*dl.Tensor{p})
		before := p.Data()[0]
		opt.SetLR(0)
		setGrad(p, 1)
		opt.Step([]*dl.Tensor{p})
		if p.Data()[0] != before {
			t.Errorf("%s: a step with LR 0 moved p from %v to %v", name, before, p.Data()[0])
		}
		for _, lr := range []float64{-1, math.NaN(), math.Inf(1)} {
			testutil.Panics(t, fmt.Sprintf("optim: %s: SetLR: lr is %v; it must be ", name, lr), func() { opt.SetLR(lr) })
		}
	}
}

// SetLR changes the rate the next Step uses. Each case's first step from
// p = 1 with g = 1 after SetLR(0.5):
func TestSetLR(t *testing.T) {
	tests := []struct {
		opt interface {
			optim.Optimizer
			optim.LRSetter
		}
		want float64
	}{
		{optim.NewSGD(1), 0.5},               // 1 − 0.5·1
		{optim.NewRMSProp(1), -4},            // 1 − 0.5·1/√0.01
		{optim.NewAdam(1), 0.5},              // 1 − 0.5·sign(1)
		{optim.NewAdamW(1), 1 - 0.005 - 0.5}, // 1·(1 − 0.5·0.01) − 0.5
	}
	for _, tt := range tests {
		p := param(1)
		tt.opt.SetLR(0.5)
		setGrad(p, 1)
		tt.opt.Step([]*dl.Tensor{p})
		if !approx(p.Data(), []float64{tt.want}, 1e-6) {
			t.Errorf("%T after SetLR(0.5): p = %v, want %v", tt.opt, p.Data(), tt.want)
		}
	}
}
