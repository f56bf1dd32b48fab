package geo

import "fmt"

// Stats describes a built cell index, for tuning and the performance doc.
func (x *cellIndex) stats() string {
	interior, border, cands, edges, flips := 0, 0, 0, 0, 0
	for _, w := range x.cells {
		if w&interiorFlag != 0 {
			interior++
			continue
		}
		border++
		for i := int(w); ; {
			cd, next := candAt(x.border, i)
			cands++
			edges += len(cd.edges) / 4
			flips += len(cd.flips)
			if cd.last {
				break
			}
			i = next
		}
	}
	b := max(border, 1)
	return fmt.Sprintf("cells %d×%d=%d interior %.1f%% border %d cands/border %.2f edges/border %.2f flips/border %.2f words/border %.1f bytes %d",
		x.nx, x.ny, len(x.cells), 100*float64(interior)/float64(len(x.cells)), border,
		float64(cands)/float64(b), float64(edges)/float64(b), float64(flips)/float64(b),
		float64(len(x.border))/float64(b), len(x.cells)*4+len(x.border)*8)
}
