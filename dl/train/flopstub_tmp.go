package train

// TEMPORARY until dl.CountFLOPs is on main; removed at the merge.
type flopStub struct{}

func (flopStub) FLOPs() float64 { return 0 }

func countFLOPsStub() flopStub { return flopStub{} }
