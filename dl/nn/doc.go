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
// # Recurrent layers
//
// [GRU] (Cho et al., 2014) and [LSTM] (Hochreiter & Schmidhuber, 1997)
// read sequences x [batch, time, in] one step at a time, with PyTorch's
// equations, gate order and initialization. Each is a cell that takes one
// step ([GRUCell.Step], [LSTMCell.Step]) and a layer that runs it over the
// sequence: Forward returns every hidden state [batch, time, hidden], so
// the layer fits in a [Sequential]; Run also takes an initial state and
// the sequences' lengths and returns the last state, as an encoder hands
// it to a decoder:
//
//	out, last := gru.Run(x, nil, lengths) // [batch, time, hidden], [batch, hidden]
//
// Padded sequences: a batch holds sequences padded at the end to one
// length; lengths gives each one's real length. At a step past a
// sequence's length its state is carried over unchanged and its output is
// zero, so the padding never reaches the state, and the last state Run
// returns is each sequence's state after its own last real step (as
// PyTorch's pack_padded_sequence gives it).
//
// # Attention for sequence-to-sequence models
//
// [AdditiveAttention] (Bahdanau et al., 2014) and [DotAttention] (Luong et
// al., 2015) let a decoder read the states of its encoder: Attend takes
// one query per sequence and returns the context and the weights, which
// can be drawn. They are [Attender]s; they take a query, keys and a mask,
// so they have no one-input Forward:
//
//	att := nn.NewAdditiveAttention(rng, 64, 64, 32)
//	ctx, w := att.Attend(s, h, mask) // s [batch, 64], h [batch, time, 64], mask [batch, time]
//
// # Language models
//
// [GPT] is a character-level Transformer language model built from an
// [Embedding], [TransformerBlock]s, a [LayerNorm] and a [Linear] head
// ([NewGPT] with a [GPTConfig]); [SequenceCrossEntropy] is its
// loss in nats per character, [NatsToBits] and [Perplexity] convert it.
// [Sample] draws the next token from a model's logits with a temperature
// and top-k, and [Generate] continues a prompt token by token, with any
// model that maps ids [1, t] to logits.
//
// [BERT] is the same stack without the causal mask, a bidirectional
// encoder pretrained to restore the tokens that [MaskTokens] hides
// (15% of them, BERT's 80/10/10 rule, [NewMasking]), scored by
// [CrossEntropyMasked] and [MaskedAccuracy]; [BERTClassifier] fine-tunes
// it on whole-sequence labels from a pooled vector ([CLSPooling] or
// [MeanPooling]).
//
// # Sequence-to-sequence models
//
// [Seq2Seq] is a GRU encoder–decoder, with one context vector (Sutskever
// et al., 2014) or with attention (Bahdanau et al., 2014). It takes a
// source and a target, so its forward pass is [Seq2Seq.Run], trained with
// [CrossEntropyMasked], which leaves the padding out; [GreedyDecode]
// decodes any [Seq2SeqModel]:
//
//	logits, _ := m.Run(b.Src, b.SrcLen, b.TgtIn) // a data.Seq2SeqBatch b
//	loss := nn.CrossEntropyMasked(logits, b.TgtOut, b.TgtMask)
//	ids, weights := nn.GreedyDecode(m, src, srcLen, maxLen)
//
// # Contrastive learning
//
// [NTXent] is SimCLR's loss (Chen et al., 2020): for two augmented views
// of a batch through one network, it asks each view to pick its partner
// among the other views, with no labels (data.TwoViews makes the views).
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
