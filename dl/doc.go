// Package dl is a small deep-learning library: n-dimensional tensors of
// float64, the ops that neural networks are made of, and reverse-mode
// automatic differentiation (autograd) to train them. It works like
// PyTorch's core and reads like micrograd.
//
// # Overview
//
// A [Tensor] is an n-dimensional array of float64 in row-major order. It
// is made from values with [New], [Zeros], [Full], [Randn] or [Scalar],
// and ops such as [Add], [MatMul], [ReLU], [Sum] and [LogSoftmax] make new
// tensors from it:
//
//	x := dl.New([]float64{1, 2, 3, 4, 5, 6}, 2, 3) // shape [2 3]
//	y := dl.ReLU(dl.MatMul(x, w))                  // [2 3] × [3 n] → [2 n]
//
// Ops never change their inputs: every op returns a new tensor. Printing a
// tensor shows its values as NumPy does; [Tensor.Shape] gives its shape.
//
// Matrix products go through the packed GEMM of dl/internal/gemm (an
// AVX2/FMA kernel on all cores) or, on a CPU without AVX2 and FMA, gonum's
// BLAS; never a triple loop. So the library is fast enough to train real,
// if small, networks on a laptop. dl calls its GEMM directly and leaves
// gonum's global BLAS as it is; a program that also multiplies large
// matrices with gonum/mat can install the fast GEMM there with
// [UseFastBLAS].
//
// # Shapes and broadcasting
//
// A shape lists the size of each dimension, outermost first: a batch of 32
// rows of 10 features is [32 10], and a scalar has shape []. Doc comments
// give shapes in brackets, with names such as [batch, in].
//
// Element-wise ops on two tensors ([Add], [Sub], [Mul], [Div]) broadcast
// as NumPy does. Shapes are lined up from the last dimension; two sizes
// fit if they are equal or one of them is 1, and a missing dimension
// counts as 1. A size of 1 stretches to the other size:
//
//	h := dl.Add(dl.MatMul(x, w), b) // [batch out] + [out]: b is added to each row
//	t := dl.Mul(col, row)           // [3 1] × [1 4] → [3 4]
//
// Reductions ([Sum], [Mean], [Max]) and softmax take axes; an axis may be
// negative, counting from the end, so -1 is the last dimension.
//
// # Autograd
//
// [Param] marks a tensor as a parameter. An op whose inputs include a
// parameter records itself and its inputs, which builds a graph of the
// computation. [Tensor.Backward], called on a scalar such as a loss, walks
// that graph back from the loss to the parameters and fills in each
// parameter's gradient, read with [Tensor.Grad]:
//
//	w := dl.Param(dl.Randn(rng, 3, 1))
//	dl.Mean(dl.Pow(dl.Sub(dl.MatMul(x, w), y), 2)).Backward() // w.Grad() is dloss/dw
//
// Each op states its derivative twice: in math, in a paragraph of its doc
// comment that starts with "Derivative:", and in code, in its backward
// rule, a small closure right after its forward code that adds the
// output's gradient g times the derivative into each input's gradient.
// For Mul that is
//
//	ga[i] += g[i] * b[i] // ∂(a·b)/∂a = b
//	gb[i] += g[i] * a[i] // ∂(a·b)/∂b = a
//
// Read the source of an op to see its rule. The loops that make the rules
// fast (blocks over broadcast tensors, masks without branches, the im2col
// of a convolution, matrix products) live in internal packages, so that
// they do not hide the math.
//
// Gradients accumulate, as in PyTorch. A tensor used twice gets the sum of
// the gradients along both paths, and a second Backward adds to the
// parameters' gradients. Clear them with [ZeroGrad] before each training
// step:
//
//	dl.ZeroGrad(w, b)
//	loss.Backward()
//
// Tensors that are not parameters (data, targets, constants) cost nothing
// extra: ops on them record no graph, their [Tensor.Inputs] is nil, and
// they get no gradient. [Tensor.Detach] cuts a tensor out of the graph.
// [Argmax] and other functions that return Go values rather than tensors
// are not part of the graph.
//
// # Memory
//
// A training step needs a buffer for every op's result and every
// gradient, hundreds of them, and the next step needs the same ones
// again. dl reuses them instead of allocating anew.
//
// During Backward, a tensor that an op computed passes its gradient on to
// its inputs and lets it go, so that its buffer serves the gradients
// still to come; its Grad is nil afterwards. Leaves, such as parameters,
// keep theirs. To keep an intermediate's gradient, as for drawing the
// graph, mark the tensor with [Tensor.RetainGrad] before Backward, or keep
// them all with [RetainGrads]:
//
//	loss.Backward(dl.RetainGrads)
//
// After the optimizer's step, [Tensor.Release] gives the buffers of the
// step's graph back to a pool, where the next step's ops find them.
// train.Fit does this after each step; a loop of your own needs one line
// more:
//
//	dl.ZeroGrad(params...)
//	loss := nn.CrossEntropy(model.Forward(x), y)
//	loss.Backward()
//	opt.Step(params)
//	loss.Release() // this step's buffers serve the next one
//
// Without Release a loop gives the same numbers, only more slowly: the
// garbage collector frees each graph instead. [ZeroGrad] gives the
// parameters' gradients back to the pool for the next Backward.
//
// dl never overwrites a tensor that a program can still read, by two
// rules rather than by luck:
//   - A buffer goes back to the pool only if dl made it for one tensor
//     and no slice of it was ever handed out. [Tensor.Data],
//     [Tensor.Grad] and [Tensor.Detach] hand out slices and mark their
//     buffer, which then stays with the slice for good; dl's own code
//     reads a tensor's fields, and the optimizers of package optim reach
//     a parameter's buffers through an internal package, without marking
//     them.
//   - Release marks every tensor whose buffers it gives back, and the
//     views of them (Reshape's result, Attention's weights), as released.
//     Every function that reads a tensor (each op, Data, Grad, Item,
//     Backward, ...) checks first, and panics on a released one: "dl:
//     Add: a was released by Release (...); Clone it before Release to
//     keep it".
//
// So a tensor you hold either has its own memory or panics when used; it
// never shows the numbers of another. Take what you need from a step
// (Item, Clone, Data) before Release; the loss that Release is called on
// keeps its value.
//
// The pool keeps buffers by length, since steps repeat the same sizes.
// Its buffers hold old values, and every op sets or clears all of what it
// takes, so results are the same bits with or without the pool. It holds
// at most 1 GiB, dropping the sizes asked for least recently first
// ([SetPoolLimit] changes the limit; 0 turns the pool off), and it is
// safe for concurrent use.
//
// # Speed
//
// Besides the small ops, a few layers are single ops, each with its own
// backward rule, because built from small ops they would record many
// tensors and gradients that training never looks at: [Linear] (x·w + b),
// [Attention] (multi-head scaled dot-product attention), [Conv2D],
// [LayerNorm] and [BatchNormTrain]. Large element-wise ops, softmax rows,
// the images of a convolution, the channels of a batch norm and the
// products of a batched [MatMul] are split across the CPUs; small tensors
// stay on one goroutine, where starting others would cost more than it
// saves.
//
// Matrix products are float64 by default, like everything else. A
// program that trains for long can let them run in float32, about twice
// as fast, with dl.SetMatMulPrecision(dl.Float32), as PyTorch's
// torch.set_float32_matmul_precision lets it use TF32 or bfloat16: the
// products of [MatMul], [Linear], [Conv2D] and [Attention] then sum in
// float32, and each result differs from the float64 one by about a
// millionth of the sum of the magnitudes of its terms (1.5e-5 at most),
// while tensors stay float64 and results still repeat bit for bit. See
// [SetMatMulPrecision].
//
// # Counting compute
//
// Papers compare models by their training compute in FLOPs, where a
// multiply-add counts as two. Every op of this package counts its
// floating-point work, forward and backward, and a [FLOPCounter] reads it
// over a region:
//
//	c := dl.CountFLOPs()
//	... train ...
//	fmt.Printf("training FLOPs: %.3g\n", c.FLOPs())
//
// train.Fit records the count of its run in History.FLOPs. FLOPCounter's
// documentation says exactly what each op counts, and that a region
// counts the work of every goroutine while it runs.
//
// # Determinism
//
// A program gives the very same bits on every run and on any number of
// CPUs: a student's 1-core laptop, a 16-core server and CI print the same
// losses and the same weights. Precisely: built with the same Go version,
// GOOS, GOARCH (and GOAMD64), build tags and module versions, and run on
// CPUs with the same architecture and the same features that dl uses
// (AVX2 and FMA on amd64), the same inputs and seeds give bit-identical
// results whatever runtime.GOMAXPROCS is. That holds because
//   - every random choice takes a *rand.Rand or a seed;
//   - work is split across the CPUs in chunks set by the size of the
//     problem, never by the number of CPUs or by timing, and one CPU
//     computes the same chunks one after the other;
//   - every sum over chunks (a bias gradient over the rows of a batch, a
//     convolution's weight gradient over the images, a matrix product's
//     inner dimension) adds its parts in chunk order; and each element of
//     a matrix product, and each channel's statistics in [BatchNormTrain],
//     are computed the same way whichever CPU computes them.
//
// Not promised: the same bits across CPU architectures (amd64 against
// arm64), across CPUs with and without AVX2 and FMA, between the default
// build and the purego or openblas build tags, or across Go versions. Each
// uses other instructions or another order of additions, and the results
// then differ, usually in the last digits. With the openblas tag, matrix
// products are OpenBLAS's, which does not promise the same bits on any
// number of threads. A program that uses one model from several goroutines
// at once, or that orders its work by ranging over a map, brings its own
// nondeterminism.
//
// # Errors
//
// Programmer errors panic, with a message that starts with "dl: ", names
// the op and shows the shapes involved, as in
//
//	dl.MatMul(dl.Zeros(32, 2), dl.Zeros(3, 16))
//	// panic: dl: MatMul: shapes [32 2] and [3 16] do not fit
//
// These are shapes that do not fit or broadcast, axes out of range,
// Backward or Item on a tensor of more than one element, and a shape that
// does not hold the values given to New. Each function's doc comment says
// when it panics. Every function also panics on a nil tensor where it
// needs one, naming the op and the argument, as in "dl: Add: a is nil"
// (a nil bias, scale or shift means none, where the doc comment says so). Nothing in dl reads files or other outside input, so
// nothing returns an error; numeric trouble such as log of a negative
// number gives NaN, as in IEEE arithmetic.
//
// # Coming from PyTorch
//
// The names that the course uses, next to what a PyTorch user would write.
// Random numbers come from a *rand.Rand (math/rand/v2) passed to each
// constructor, in place of torch.manual_seed; a weight matrix is [in, out],
// not [out, in].
//
//	PyTorch                                   dl (packages dl, nn, optim, train, data)
//	torch.Tensor                              *dl.Tensor
//	torch.tensor(values).reshape(2, 3)        dl.New(values, 2, 3)
//	torch.zeros(2, 3), torch.full((2, 3), v)  dl.Zeros(2, 3), dl.Full(v, 2, 3)
//	torch.tensor(3.0)                         dl.Scalar(3)
//	torch.randn(2, 3, generator=g)            dl.Randn(rng, 2, 3)
//	x.shape, x.numel(), x.tolist()            x.Shape(), x.Len(), x.Data()
//	x.item(), x.clone(), x.detach()           x.Item(), x.Clone(), x.Detach()
//	nn.Parameter(x), x.requires_grad_()       dl.Param(x)
//	a + b, a - b, a * b, a / b                dl.Add(a, b), dl.Sub(a, b), dl.Mul(a, b), dl.Div(a, b)
//	x @ w, torch.matmul(x, w)                 dl.MatMul(x, w)
//	torch.set_float32_matmul_precision("medium")  dl.SetMatMulPrecision(dl.Float32)
//	F.conv2d(x, w, b, stride=s, padding=p)   dl.Conv2D(x, w, b, dl.ConvOptions{Stride: s, Padding: p})
//	torch.cat(xs, dim), x.narrow(dim, a, n)   dl.Concat(dim, xs...), dl.Slice(x, dim, a, a+n)
//	torch.index_select(x, dim, idx)           dl.Index(x, dim, idx)
//	table[idx], F.embedding(idx, table)       dl.Gather(table, idx) (rows of a 2-D table)
//	torch.exp, torch.log, torch.tanh          dl.Exp, dl.Log, dl.Tanh
//	torch.sigmoid, torch.relu, F.gelu         dl.Sigmoid, dl.ReLU, dl.GELU
//	x.sum(dim), x.mean(dim), x.amax(dim)      dl.Sum(x, dim), dl.Mean(x, dim), dl.Max(x, dim)
//	x.argmax(dim)                             dl.Argmax(x, dim) (a []int)
//	F.softmax(x, dim), F.log_softmax(x, dim)  dl.Softmax(x, dim), dl.LogSoftmax(x, dim)
//	x.reshape(...), x.permute(...), x.T       dl.Reshape(x, ...), dl.Permute(x, ...), dl.Transpose(x)
//	loss.backward()                           loss.Backward()
//	x.grad                                    x.Grad()
//	x.retain_grad()                           x.RetainGrad(), or loss.Backward(dl.RetainGrads) for all
//	(freed after backward, memory cached)     loss.Release() after opt.Step; train.Fit does it
//	torch.cuda.empty_cache()                  dl.SetPoolLimit(0) empties dl's pool and turns it off
//	optimizer.zero_grad()                     dl.ZeroGrad(model.Params()...)
//	with torch.no_grad(): model(x)            train.Predict(model, x); data tensors never record a graph
//	nn.Module, model(x)                       nn.Module, model.Forward(x)
//	model.parameters()                        model.Params()
//	model.named_parameters()                  nn.NamedParams(model)
//	model.train(), model.eval()               nn.SetTraining(model, true), nn.SetTraining(model, false)
//	nn.Sequential(a, b)                       nn.NewSequential(a, b), an *nn.Sequential
//	nn.Linear(i, o), nn.Linear(i, o, bias=False)  nn.NewLinear(rng, i, o), nn.NewLinear(rng, i, o).WithoutBias()
//	layer.weight (a torch.nn.Linear)           layer.(*nn.Linear).W ([in, out], the transpose of PyTorch's [out, in])
//	torchvision.ops.MLP(i, [h, o])            nn.MLP(rng, i, h, o)
//	nn.ReLU(), nn.Sigmoid(), nn.Tanh()        nn.ReLU{}, nn.Sigmoid{}, nn.Tanh{}
//	nn.Conv2d, nn.MaxPool2d, nn.Flatten       nn.NewConv2D (an *nn.Conv2D), nn.MaxPool2D{Size: 2, Stride: 2}, nn.Flatten{}
//	nn.init.kaiming_normal_ on a Linear      nn.NewLinearHe(rng, i, o)
//	nn.Dropout(p)                             nn.NewDropout(rng, p)
//	nn.BatchNorm2d(c), nn.LayerNorm(d)        nn.NewBatchNorm(c) (an *nn.BatchNorm), nn.NewLayerNorm(d)
//	x + block(x), a residual connection       nn.Residual{Inner: block}
//	nn.Embedding(vocab, d)                    nn.NewEmbedding(rng, vocab, d)
//	nn.MultiheadAttention                     nn.NewMultiHeadAttention(rng, d, heads, causal)
//	F.scaled_dot_product_attention(q, k, v)   dl.Attention(q, k, v, heads, causal) (out, weights)
//	nn.TransformerEncoderLayer                nn.NewTransformerBlock(rng, d, heads, causal)
//	nn.GRU(i, h, batch_first=True)            nn.NewGRU(rng, i, h) (an *nn.GRU); out, last := gru.Run(x, h0, lengths)
//	nn.LSTM(i, h, batch_first=True)           nn.NewLSTM(rng, i, h) (an *nn.LSTM); out, h, c := lstm.Run(x, h0, c0, lengths)
//	nn.GRUCell(i, h), nn.LSTMCell(i, h)       nn.NewGRUCell(rng, i, h).Step(x, h), nn.NewLSTMCell(rng, i, h).Step(x, h, c)
//	pack_padded_sequence(x, lengths)          the lengths argument of nn.GRU.Run and nn.LSTM.Run
//	nanoGPT's GPT(GPTConfig(...))             nn.NewGPT(rng, nn.GPTConfig{Vocab, Context, Dim, Heads, Layers, Positions}), an *nn.GPT
//	HF BertForMaskedLM(BertConfig(...))       nn.NewBERT(rng, nn.BERTConfig{Vocab, Context, Dim, Heads, Layers}), an *nn.BERT; bert.Encode(ids), bert.Pooled(ids, nn.MeanPooling)
//	HF DataCollatorForLanguageModeling(mlm_probability=0.15)  nn.MaskTokens(rng, ids, nn.NewMasking(maskID, lo, hi)) (inputs, targets, mask); its settings an nn.Masking
//	HF BertForSequenceClassification          nn.NewBERTClassifier(rng, bert, classes), an *nn.BERTClassifier
//	masked-token accuracy ((logits.argmax(-1) == y)[mask].float().mean())  nn.MaskedAccuracy(logits, targets, mask)
//	p.requires_grad_(False), freezing layers  opt.Freeze(params...), opt.Unfreeze(params...) (optim.Freezer, in every optimizer)
//	model.get_num_params(non_embedding=True)  g.NonEmbeddingParams() (Kaplan et al.'s N; also leaves out the head)
//	F.cross_entropy(logits.view(-1, V), y.view(-1))  nn.SequenceCrossEntropy(logits, targets)
//	loss.item() / math.log(2), bits per char   nn.NatsToBits(nats)
//	model.generate(idx, n, temperature, top_k)  nn.Generate(rng, model, prompt, n, nn.GenerateOptions{Temperature, TopK})
//	torch.multinomial(F.softmax(logits / T, -1), 1)  nn.Sample(rng, logits, T, topK)
//	nn.MSELoss()(y_hat, y)                    nn.MSE(yHat, y)
//	nn.BCEWithLogitsLoss()(logits, y)         nn.BCE(logits, y)
//	nn.CrossEntropyLoss()(logits, labels)     nn.CrossEntropy(logits, labels)
//	nn.CrossEntropyLoss(ignore_index=pad)     nn.CrossEntropyMasked(logits, labels, mask)
//	SimCLR's NT-Xent (lightly's NTXentLoss)   nn.NTXent(z1, z2, temperature)
//	an encoder–decoder (PyTorch tutorial's Seq2Seq)  nn.NewSeq2Seq(rng, nn.Seq2SeqConfig{...}), an *nn.Seq2Seq
//	a greedy decoding loop over model.decoder  nn.GreedyDecode(model, src, srcLen, maxLen)
//	sklearn.linear_model.Perceptron           nn.NewPerceptron(inputs), nn.Perceptron
//	torch.optim.SGD(params, lr, momentum=m)   opt := optim.NewSGD(lr); opt.Momentum = m (*optim.SGD)
//	torch.optim.Adam, AdamW, RMSprop          optim.NewAdam(lr) (an *optim.Adam), optim.NewAdamW(lr), optim.NewRMSProp(lr)
//	torch.optim.Optimizer                     optim.Optimizer, an interface
//	optimizer.step()                          opt.Step(model.Params())
//	nn.utils.clip_grad_norm_(params, n)       optim.ClipGradNorm(params, n)
//	lr_scheduler.StepLR, CosineAnnealingLR    optim.StepDecay, optim.Cosine, optim.Warmup
//	the training loop                         train.Fit(model, set, train.Config{...}), returns a *train.History
//	a callback per step or epoch              train.Callback, in train.Config.Callbacks, given a train.Event (Kind train.StepEnd, ...)
//	[p.grad.norm() for p in weights]          train.WeightGradNorms(model, x, y, loss)
//	torch.utils.flop_counter.FlopCounterMode  c := dl.CountFLOPs(); ...; c.FLOPs()
//	scipy.optimize.curve_fit(a*x**-alpha + c)  train.FitPowerLaw(x, y) (a train.PowerLaw), train.FitPowerLawFloor(x, y, c)
//	(train once, reload: joblib.Memory)       train.Cached(train.Key{...}, fit, model), with a train.CacheInfo
//	torchmetrics Accuracy                     train.Accuracy(yHat, y), train.AccuracyMetric, train.Metric
//	model(x).argmax(1)                        train.PredictClasses(model, x)
//	torchinfo.summary(model)                  train.Summary(model)
//	LogisticRegression on frozen features     train.LinearProbe(trainSet, testSet, train.ProbeConfig{...}), a *train.Probe
//	torch.save(model.state_dict(), path)      train.SaveFile(path, model)
//	model.load_state_dict(torch.load(path))   train.LoadFile(path, model)
//	TensorDataset(x, y)                       data.Set{X: x, Y: y}
//	random_split, DataLoader(shuffle=True)    data.Split(set, frac, rng), data.Batches(set, size, rng)
//	pad_sequence(seqs, batch_first=True)     data.PadBatch(seqs, maxLen), with the mask and lengths
//	torchvision.datasets.MNIST                mnist.Load()
//	T.RandomResizedCrop, T.RandomErasing      data.RandomResizedCrop(x, h, w, minScale, rng), data.RandomErase(x, h, w, p, side, rng)
//	SimCLR's two views of a batch             data.TwoViews(x, data.Augmentation{...}, rng)
//
// A test checks that every dl name in this table exists and that the table
// covers every name of dl, nn, optim and train that the notebooks use.
package dl
