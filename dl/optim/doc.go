// Package optim provides the optimizers that update a model's parameters
// from their gradients, as torch.optim does for PyTorch.
//
// # Overview
//
// An [Optimizer] takes the parameters after Backward and moves each one a
// little against its gradient. Optimizers are plain structs, and they keep
// any state they need (such as momentum) per parameter:
//
//	opt := optim.NewSGD(0.1)
//	opt.Momentum = 0.9
//	for step := range steps {
//		dl.ZeroGrad(model.Params()...)
//		loss := nn.CrossEntropy(model.Forward(x), y)
//		loss.Backward()
//		opt.Step(model.Params())
//		loss.Release() // optional: the step's memory serves the next one
//	}
//
// The optimizers are [SGD] (with momentum and Nesterov), [RMSProp], [Adam]
// and [AdamW]. [ClipGradNorm] limits the size of a step, and a [Schedule]
// changes the learning rate over training through [LRSetter].
//
// # Settings and defaults
//
// Every field of an optimizer means exactly its value: Momentum 0 is no
// momentum, Beta1 0 is Adam without a running mean of the gradient,
// WeightDecay 0 is no decay. The usual values come from the constructors,
// as they come from the keyword defaults in PyTorch, where
// torch.optim.Adam(params, lr=1e-3) has betas (0.9, 0.999) and eps 1e-8:
//
//	constructor     sets                                                 as PyTorch's
//	NewSGD(lr)      Momentum 0, WeightDecay 0                            SGD(params, lr)
//	NewRMSProp(lr)  Alpha 0.99, Eps 1e-8, Momentum 0, WeightDecay 0      RMSprop(params, lr)
//	NewAdam(lr)     Beta1 0.9, Beta2 0.999, Eps 1e-8, WeightDecay 0      Adam(params, lr)
//	NewAdamW(lr)    Beta1 0.9, Beta2 0.999, Eps 1e-8, WeightDecay 0.01   AdamW(params, lr)
//
// To change a setting, change the field after building:
//
//	opt := optim.NewAdam(1e-3)
//	opt.Beta1 = 0 // see what Adam does without momentum
//
// A struct literal sets the fields it names and leaves the others at 0,
// which is fine for SGD (&optim.SGD{LR: 0.1, Momentum: 0.9} is what it
// says) but rarely what is meant for the others: &optim.Adam{LR: 1e-3}
// has Eps 0, and its first Step fails with a message that names
// optim.NewAdam.
//
// # Errors
//
// A setting that cannot work is a programmer error: an LR that is not above
// 0, a Beta1, Beta2, Alpha or Momentum outside [0, 1), an Eps that is not
// above 0, a negative WeightDecay, Nesterov without Momentum, or a NaN or
// infinity in any field. Each optimizer's Validate method returns an error
// that names the field and its value, and Step panics with that message.
// [github.com/dlnb/dlnb/dl/train.Fit] calls Validate before it trains,
// and returns the error.
//
// Step checks the settings once, on its first call, and not on every step
// after it: a field changed to a bad value after the first Step is not
// caught. Call Validate to check again. [LRSetter.SetLR] checks the rate it
// is given, and accepts 0, where a schedule may end.
//
// Messages start with "optim:" and name the optimizer, e.g.
//
//	optim: Adam: Beta1 is 1; it must be in [0, 1)
package optim
