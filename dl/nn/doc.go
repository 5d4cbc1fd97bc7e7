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
// (a single example [in] to [out], and, for sequences of tokens,
// [batch, t, in] to [batch, t, out]). Class labels are stored as float64
// class indices, [batch].
//
// # Random numbers
//
// Every constructor that draws random numbers takes the generator first,
// then the sizes and settings: NewLinear(rng, in, out),
// NewConv2D(rng, cin, cout, k, opt), NewDropout(rng, p), MLP(rng, sizes...).
// (An op that transforms an input, such as dl.Dropout(x, p, rng), takes
// the input first and the generator last.) Nothing in this package draws
// from a global generator, so the same seed builds the same model.
//
// # Names
//
// Every layer names its parameters, buffers and sublayers ([Named]), as the
// keys of PyTorch's state_dict: [NamedParams] of MLP(rng, 2, 8, 2) are
// "0.W", "0.B", "2.W" and "2.B", and a TransformerBlock's query weights
// are "Attn.Wq.W". The names are strings written in each layer, so
// renaming a Go field does not change them; train.Save writes them into
// its files, and train.Summary and the plots use them.
//
// # Language models
//
// [GPT] is a character-level Transformer language model built from the
// layers above ([NewGPT] with a [GPTConfig]); [SequenceCrossEntropy] is its
// loss in nats per character, [NatsToBits] and [Perplexity] convert it.
// [Sample] draws the next token from a model's logits with a temperature
// and top-k, and [Generate] continues a prompt token by token, with any
// model that maps ids [1, t] to logits.
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
//
// A nil input panics the same way, naming the layer or loss and the
// argument: "nn: Linear: x is nil".
package nn
