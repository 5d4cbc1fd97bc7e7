// Package plotting draws the figures of the dlnb course with gonum/plot and
// shows them inline in a GoNB notebook, one call per figure:
//
//	h, _ := train.Fit(model, set, cfg)
//	plotting.Show(plotting.Curves(h, "loss"))
//
// # Figures
//
// Each function returns a *plot.Plot, which a learner may change further
// (titles, axis ranges, more plotters), or a *Figure when it needs several
// panels or a size of its own:
//
//   - Curves: loss or a metric per epoch, train against validation;
//   - Lines: any series of numbers, such as mistakes per epoch;
//   - Scatter, Boundary and Hidden: 2-D data sets, a model's decision
//     regions, and the XNOR picture of input space beside hidden space;
//   - Tangent: a function and its tangent line, for derivatives;
//   - Contour and Path: a 2-D loss surface and the paths of optimizers;
//   - Images: a grid of grayscale images with captions;
//   - LearningCurve: experiment results against a setting (training-set
//     size, number of labels, model size), mean lines over shaded bands
//     from MeanStd, with MarkMin and MarkMax for the best point;
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
//   - Graph: an SVG drawing of a computation graph, with values and
//     gradients;
//   - Live: a train.Callback that plots the loss while Fit runs.
//
// Row and Grid put plots side by side in a Figure.
//
// # Showing and saving
//
// Show displays a plot in the notebook (Figure.Show a figure), as a PNG
// drawn at twice the pixels (Scale) and shown 640×400 CSS pixels wide, so it
// is sharp on any screen. Save writes a .png or an .svg file.
//
// Every display is followed by gonbui.Sync, since GoNB can otherwise drop a
// cell's last output when the program exits. Outside a notebook (under go
// test, or in a program run from a shell) Show, Figure.Show and ShowGraph
// do nothing, and Live prints one line per epoch instead of drawing.
//
// # Style
//
// All figures share one style: a white background, sans-serif text (the
// Liberation fonts built into gonum/plot, so nothing is loaded from the
// network), a light grid, and one palette, Palette, in which class i and
// series i get Color(i). Scales of values (Heatmap, Ordered, Contour) use
// the viridis colour map; Heatmap and Ordered add a colour bar. Legends go to the corner where they cover the
// fewest points, on a white box.
//
// # Errors
//
// As in package dl, programmer errors panic with a message that names the
// function and the shapes, e.g.
//
//	plotting: Scatter: X has shape [100 3]; want [n, 2] (two features per point)
//
// Save returns an error when the file cannot be written or its extension
// is not .png or .svg.
package plotting
