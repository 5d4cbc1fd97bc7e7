package nn_test

import (
	"testing"

	"github.com/dlnb/dlnb/dl/nn"
)

// NonEmbeddingParams against counts by hand, for learned and sinusoidal
// positions and 1 to 3 layers; with the embeddings it makes up every
// parameter of the model.
func TestGPTNonEmbeddingParams(t *testing.T) {
	tests := []struct {
		cfg                 nn.GPTConfig
		nonEmbedding, total int
	}{
		// d = 16: a block has 12·256 + 13·16 = 3,280; the final Norm 32.
		// Tok 30·16 = 480, Pos 12·16 = 192, Head 16·30 + 30 = 510.
		{nn.GPTConfig{Vocab: 30, Context: 12, Dim: 16, Heads: 4, Layers: 2}, 2*3280 + 32, 2*3280 + 32 + 480 + 192 + 510},
		// Sinusoidal positions: no Pos table.
		{nn.GPTConfig{Vocab: 30, Context: 12, Dim: 16, Heads: 4, Layers: 2, Positions: nn.SinusoidalPositions}, 2*3280 + 32, 2*3280 + 32 + 480 + 510},
		// d = 8, one layer: 12·64 + 13·8 = 872, Norm 16; Tok 83·8 = 664,
		// Pos 32·8 = 256, Head 8·83 + 83 = 747.
		{nn.GPTConfig{Vocab: 83, Context: 32, Dim: 8, Heads: 2, Layers: 1}, 872 + 16, 872 + 16 + 664 + 256 + 747},
		// d = 64, 3 layers: 12·4096 + 13·64 = 49,984 a block, Norm 128.
		{nn.GPTConfig{Vocab: 83, Context: 32, Dim: 64, Heads: 4, Layers: 3}, 3*49984 + 128, 3*49984 + 128 + 83*64 + 32*64 + 64*83 + 83},
	}
	for _, tt := range tests {
		g := nn.NewGPT(newRNG(1), tt.cfg)
		if got := g.NonEmbeddingParams(); got != tt.nonEmbedding {
			t.Errorf("%+v: NonEmbeddingParams %d, want %d", tt.cfg, got, tt.nonEmbedding)
		}
		total := 0
		for _, p := range g.Params() {
			total += p.Len()
		}
		if total != tt.total {
			t.Errorf("%+v: %d parameters in all, want %d", tt.cfg, total, tt.total)
		}
	}
}
