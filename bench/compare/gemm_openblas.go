//go:build openblas

package main

const gemmBuild = "GEMM through OpenBLAS (-tags openblas)"
