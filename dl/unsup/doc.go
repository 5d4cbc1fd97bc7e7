// Package unsup provides unsupervised learning: methods that find
// structure in data without labels. Each method returns its learning
// signal as plain values, ready to plot.
//
// # Overview
//
// The rows of a tensor x [n, d] are n examples with d features. There
// are no targets: the methods look only at x.
//
//   - [KMeans] (Lloyd, 1957/1982) finds k groups. Its learning signal is
//     the inertia, which falls at each iteration and then flattens.
//   - [PCA] (Pearson, 1901; Hotelling, 1933) finds the directions along
//     which the data vary most. Its learning signal is the share of the
//     variance that each direction explains (a scree plot).
//   - [Autoencoder] (Hinton & Salakhutdinov, 2006) is a network trained
//     to reproduce its input through a small code. Its learning signal is
//     the reconstruction loss, as for any network trained with train.Fit.
//
// For example:
//
//	km := unsup.KMeans(x, 3, 100, rng) // km.Labels: the group of each row
//	p := unsup.PCA(x, 2)
//	z := p.Project(x) // [n, 2]: each row in the 2 main directions
//
// # Errors
//
// Bad arguments, such as k larger than the number of rows or shapes that
// do not fit, are programmer errors: the functions panic with a message
// that starts with "unsup:".
package unsup
