//go:build !openblas

package main

const gemmBuild = "GEMM in pure Go (default build)"
