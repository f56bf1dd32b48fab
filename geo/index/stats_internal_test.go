package index

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
	hot := "no hot level"
	if h := x.hot; h != nil {
		// the share of the cells' area the hot level sends on
		through, total, rank := 0, 0, 0
		for i := 0; i < len(h.blocks); i += 2 {
			codes := uint32(h.blocks[i])
			for s := 0; s < 32; s += 2 {
				total += subSide * subSide
				if codes>>s&3 != codeBorder {
					continue
				}
				sub := h.subs[rank]
				rank++
				for k := 0; k < 32; k += 2 {
					if sub>>k&3 == codeBorder {
						through++
					}
				}
			}
		}
		hot = fmt.Sprintf("hot level %d bytes, sends on %.1f%% of the area", h.bytes(), 100*float64(through)/float64(total))
	}
	return hot + "; " + fmt.Sprintf("cells %d×%d=%d interior %.1f%% border %d cands/border %.2f edges/border %.2f flips/border %.2f words/border %.1f bytes %d",
		x.nx, x.ny, len(x.cells), 100*float64(interior)/float64(len(x.cells)), border,
		float64(cands)/float64(b), float64(edges)/float64(b), float64(flips)/float64(b),
		float64(len(x.border))/float64(b), len(x.cells)*4+len(x.border)*8)
}
