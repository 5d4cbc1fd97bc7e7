package nn

// NonEmbeddingParams returns the number of parameters of g outside its
// embeddings: those of the blocks and of the final Norm, not those of
// Tok, Pos and Head. It is the N of Kaplan et al., "Scaling Laws for
// Neural Language Models" (2020), who count "model parameters, excluding
// all vocabulary and positional embeddings", because with them left out
// the loss of models of different shapes falls on one power law in N.
// Head, the map from features to the vocabulary's logits, is a vocabulary
// embedding too (GPT-2 uses Tok's table for it); here it is a separate
// [Linear], and is left out with its bias.
//
// Each block has 12·d² + 13·d parameters (d = Config.Dim): the attention's
// four [d, d] maps with their biases, 4d² + 4d; the MLP's [d, 4d] and
// [4d, d] maps with their biases, 8d² + 5d; and the two LayerNorms, 4d.
// With the final Norm's 2d:
//
//	N = Layers·(12·d² + 13·d) + 2·d
//
// Kaplan et al.'s N ≈ 12·Layers·d² leaves out the biases and the norms,
// which at our small d add a few percent (13/(12·d) of the blocks'
// weights: 7% at d = 16, 2% at d = 64).
func (g *GPT) NonEmbeddingParams() int {
	n := 0
	for _, b := range g.Blocks {
		for _, p := range b.Params() {
			n += p.Len()
		}
	}
	for _, p := range g.Norm.Params() {
		n += p.Len()
	}
	return n
}
