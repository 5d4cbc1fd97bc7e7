// Package plotting draws the figures of the dlnb course with gonum/plot and
// shows them inline in a GoNB notebook, one call per figure:
//
//	h, _ := train.Fit(model, set, cfg)
//	plotting.Curves(h, "loss").Show()
//
// # The rule
//
// Every figure function takes the data first, then its options, and
// returns a *Figure:
//
//	plotting.Lines(series, plotting.Options{Title: "loss", LogY: true}).Show()
//	plotting.Boundary(model, testSet).Show()
//	plotting.Scatter(moons, plotting.Options{Title: "two moons"}).Save("moons.png")
//
// In detail:
//   - The data is what is drawn: a history, series, a data set, a model, a
//     tensor, a function and its range. It comes in the order one would
//     say it: Highlight(set, rows, "queried"), Tangent(f, x0, lo, hi).
//   - The options are one Options value: Title, XLabel, YLabel, Width,
//     Height and LogY. Heatmap, Images (and ImageRows, Frame and Frames)
//     and Samples, which need more, take their own HeatmapOptions,
//     ImageOptions and SamplesOptions, with the same names for the same
//     settings. The zero value is fine: an empty field keeps the figure's
//     own choice (its default title and labels, its size). Each function
//     says which fields it uses, and a field that it cannot use panics,
//     naming it, rather than being silently ignored.
//   - The result is a value: Show displays it, Save writes it as a .png or
//     an .svg, and Plot returns its *plot.Plot for changes that the options
//     do not offer (ranges, scales, more plotters). Row and Grid combine
//     figures into one. This holds for every figure, the computation-graph
//     drawing (Graph) and the last frame of the live display (Live) too.
//
// The options are a variadic value, opts ...Options, of which at most one
// may be given (a second panics). Variadic, because the zero value is
// fine: a figure that needs no setting takes none, and a cell does not
// carry a nil or an empty plotting.Options{}. A value rather than a
// pointer, because a literal then reads as the settings it holds, with no
// & and no nil to explain. One struct rather than functional options
// (WithTitle(...)), because its fields are listed in one place, in the
// documentation and in an editor's completion, and mean the same in
// every figure.
//
// # Figures
//
//   - Curves: loss or a metric per epoch, train against validation;
//   - Lines: any series of numbers, such as mistakes per epoch;
//   - Scatter, Boundary and Hidden: 2-D data sets, a model's decision
//     regions, and the XNOR picture of input space beside hidden space;
//   - Embedding: learned features [n, d] on their first two principal
//     components, coloured by class, such as a contrastive encoder's;
//   - Tangent: a function and its tangent line, for derivatives;
//   - Regression: data points with model lines over them, such as
//     candidate lines and the fitted one;
//   - Contour and Path: a 2-D loss surface and the paths of optimizers;
//   - Images: a grid of grayscale images with captions;
//   - LearningCurve: experiment results against a setting (training-set
//     size, number of labels, model size), mean lines over shaded bands
//     from MeanStd, with the best point of a band marked (Band.MarkMin,
//     Band.MarkMax);
//   - Heatmap: a table of numbers as coloured, annotated cells, for
//     results over two settings; Confusion draws a confusion matrix with
//     it;
//   - ActivationHistograms and GradientHistograms: one histogram per layer
//     of a network's activations, or of the gradients that reach them, for
//     vanishing and exploding signals;
//   - Clusters, Highlight and Ordered: 2-D points by cluster, with some
//     rows ringed (flagged labels, queried points), or in the order they
//     were picked;
//   - Bars: grouped bars for small comparisons;
//   - LayerBars: one bar per layer of a network, such as the gradient
//     norm per layer, a panel per network on a shared (log) axis, for
//     vanishing gradients at depth 4 against depth 32;
//   - Timeline: values that grow by orders of magnitude over the years,
//     such as the training compute of milestone models, on a log axis,
//     labelled, with an exponential trend per group; DoublingTime gives
//     the trend's doubling time in months;
//   - ImageRows: rows of images with a label at the left of each, such
//     as a generator's images at chosen training steps;
//   - Samples: 2-D samples over a shaded target density, such as a GAN's
//     samples over a ring of Gaussians, with a fixed range so that
//     snapshots in a Row compare;
//   - Returns: the return of each episode of a reinforcement-learning
//     run, faint, under its running mean (RunningMean), bold;
//     ReturnsSeries: several runs on one plot, runs with the same name
//     (seeds) averaged into one bold line, for ablations;
//   - Frame and Frames: an environment's screen, gray values in [0, 1],
//     as crisp pixels, and a strip of the frames of one episode;
//   - AttentionMap: the attention weights of one sequence, target tokens
//     down the side and source tokens below, with the tokens as tick
//     labels (characters, words, "<s>", "<pad>"), for seq2seq with
//     attention; AttentionHeads: the maps of a layer's heads of
//     self-attention, a grid of panels "head 1", "head 2", ...;
//   - AccuracyByLength: accuracy against sequence length for several
//     models, on a fixed [0, 1] axis, such as seq2seq with and without
//     attention;
//   - Board: a board game's position (tic-tac-toe, Connect Four) with a
//     number on each empty square, such as MCTS's visit counts, shaded by
//     value, with the most visited move outlined;
//   - ScalingLaw: points on log-log axes, such as the loss of models of
//     growing size, with a power law (train.PowerLaw) fitted to some and
//     the others held out, to see what the law predicts; ComputeCurves:
//     the loss of several runs against the compute they spent, with the
//     compute-efficient frontier (Frontier), as in Kaplan et al. (2020);
//   - Graph: a drawing of a computation graph, with values and gradients;
//     NamedGraph names its boxes (x1, w1, b);
//   - Live: a display that plots the loss while Fit runs, through its
//     Callback.
//
// # Showing and saving
//
// Figure.Show displays a figure in the notebook as a PNG drawn at twice
// the pixels (Scale) and shown 640×400 CSS pixels wide for one plot, so it
// is sharp on any screen; the graph drawing, boxes and text, is shown as
// SVG. Figure.Save writes a .png or an .svg file.
//
// Every display is followed by gonbui.Sync, since GoNB can otherwise drop a
// cell's last output when the program exits. Outside a notebook (under go
// test, or in a program run from a shell) Show does nothing, and Live
// prints one line per epoch instead of drawing.
//
// # Style
//
// All figures share one style: a white background, sans-serif text (the
// Liberation fonts built into gonum/plot, so nothing is loaded from the
// network), a light grid, and one palette, Palette, in which class i and
// series i get Color(i). Scales of values (Heatmap, Ordered, Contour) use
// the viridis colour map; Heatmap and Ordered add a colour bar. Legends go
// to the corner where they cover the fewest points, on a white box.
//
// # Errors
//
// As in package dl, programmer errors panic with a message that names the
// function and the shapes or the setting, e.g.
//
//	plotting: Scatter: X has shape [100 3]; want [n, 2] (two features per point)
//	plotting: Scatter: Options.LogY is not used by this figure; leave it unset
//
// Save returns an error when the file cannot be written or its extension
// is not .png or .svg. A figure that gonum/plot cannot draw (a log axis
// over values ≤ 0 that a learner set by hand) shows its error in the
// notebook instead of the picture, and Save returns it.
package plotting
