package geo

import "fmt"

// Stats describes a built cell index, for tuning and the performance doc.
func (x *cellIndex) stats() string {
	interior, border, cands, edges := 0, 0, 0, 0
	for _, w := range x.cells {
		if w&interiorFlag != 0 {
			interior++
			continue
		}
		border++
		cs := x.candidates(w)
		cands += len(cs)
		for _, c := range cs {
			edges += int(c.n)
		}
	}
	return fmt.Sprintf("cells %d×%d=%d interior %.1f%% border %d cands/border %.2f edges/border %.1f stored edges %d bytes %d",
		x.nx, x.ny, len(x.cells), 100*float64(interior)/float64(len(x.cells)), border,
		float64(cands)/float64(border), float64(edges)/float64(border), len(x.edges)/4,
		len(x.cells)*4+len(x.cands)*12+len(x.edges)*8)
}
