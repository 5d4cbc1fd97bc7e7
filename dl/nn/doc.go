// Package nn provides the building blocks of neural networks on top of dl:
// layers (modules) and loss functions, as torch.nn does for PyTorch.
//
// # Overview
//
// A [Module] turns a batch of inputs into a batch of outputs with Forward
// and lists the tensors it learns with Params. Layers are nouns ([Linear],
// [ReLU], [Sequential]); losses are functions that return a scalar tensor
// to call Backward on:
//
//	model := nn.MLP(rng, 2, 8, 2)             // 2 inputs, 8 hidden units, 2 classes
//	loss := nn.CrossEntropy(model.Forward(x), y)
//	loss.Backward()                          // fills p.Grad() for p in model.Params()
//
// # Shapes
//
// Inputs are batches: one example per row, [batch, features]. A [Linear]
// layer with in inputs and out outputs maps [batch, in] to [batch, out]
// (and, for sequences of tokens, [batch, t, in] to [batch, t, out]).
// Class labels are stored as float64 class indices, [batch].
//
// # The perceptron
//
// [Perceptron] is Rosenblatt's (1958) threshold unit with his learning
// rule, written on plain float64 slices: it came before backpropagation, so
// it uses no gradients. The lessons compare it with a [Linear] layer
// trained by gradient descent.
//
// # Errors
//
// Shapes that do not fit are programmer errors: the functions panic with a
// message that starts with "nn:", names the layer or loss and gives both
// shapes, for example
//
//	nn: Linear: input shape [32 3] does not fit weights [2 16]
package nn
