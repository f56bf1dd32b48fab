package router

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/gridmap/gridmap/lookup"
)

// part is what one shard is sent of a batch and what it answered.
type part struct {
	idx     []int // positions in the batch, in order
	status  int
	header  http.Header
	body    []byte
	err     error
	head    []byte
	version string
	each    [][]byte
}

// batch answers POST /api/v1/lookup: the body is read whole, split by
// shard, sent to the shards at once in its own format, and the answers are
// merged in input order.
func (r *Router) batch(w http.ResponseWriter, req *http.Request) {
	f, err := lookup.ParseFormat(req.Header.Get("Content-Type"))
	if err != nil {
		r.forward(w, req, 0, req.Body) // the shard's 415
		return
	}
	raw, err := io.ReadAll(io.LimitReader(req.Body, r.maxBatch+1))
	if err != nil || int64(len(raw)) > r.maxBatch {
		problem(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("the router takes batches of at most %d bytes", r.maxBatch))
		return
	}
	body, err := decoded(raw, req.Header.Get("Content-Encoding"))
	in, rerr := readBatch(body, f)
	nearestM, ok := nearestOf(req.URL.Query().Get("nearest"))
	if err != nil || rerr != nil || !ok || len(in.recs) == 0 {
		r.forward(w, req, 0, bytes.NewReader(raw)) // the shard's answer to what the router cannot split
		return
	}
	parts, owners := r.split(in, req.URL.Query().Get("crs"), nearestM)
	r.send(req, in, f, parts)
	r.merge(w, f, parts, owners)
}

// decoded returns body without its content encoding (gzip or none).
func decoded(body []byte, encoding string) ([]byte, error) {
	if encoding == "" || strings.EqualFold(encoding, "identity") {
		return body, nil
	}
	if !strings.EqualFold(encoding, "gzip") {
		return nil, fmt.Errorf("content encoding %q", encoding)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// split gives each record to its shard (candidates: to several, for a
// point in no outline with nearest=M), and returns the shards of each.
func (r *Router) split(in *batchIn, crsName string, nearestM float64) ([]*part, [][]int) {
	parts := make([]*part, len(r.targets))
	for s := range parts {
		parts[s] = &part{}
	}
	owners := make([][]int, len(in.recs))
	for i, rec := range in.recs {
		cands := []int{0}
		if p, ok := queryPoint(fmtFloat(rec.p[0]), fmtFloat(rec.p[1]), crsName); ok {
			cands = r.candidates(p, nearestM)
		}
		for _, s := range cands {
			parts[s].idx = append(parts[s].idx, i)
		}
		owners[i] = cands
	}
	return parts, owners
}

// send asks every shard with points for their answers, at once.
func (r *Router) send(req *http.Request, in *batchIn, f lookup.Format, parts []*part) {
	var wg sync.WaitGroup
	for s, pt := range parts {
		if len(pt.idx) == 0 {
			continue
		}
		wg.Go(func() { r.ask(req, s, in.encode(f, pt.idx), f, pt) })
	}
	wg.Wait()
}

// ask sends one shard its part and reads the answer into pt.
func (r *Router) ask(req *http.Request, s int, body []byte, f lookup.Format, pt *part) {
	out, err := http.NewRequestWithContext(req.Context(), http.MethodPost, r.shardURL(req, s), bytes.NewReader(body))
	if err != nil {
		pt.err = err
		return
	}
	out.Header.Set("Content-Type", f.ContentType())
	copyHeaders(out.Header, req.Header, "Authorization", "X-Request-Id")
	resp, err := r.client.Do(out)
	if err != nil {
		pt.err = err
		return
	}
	defer resp.Body.Close()
	pt.status, pt.header = resp.StatusCode, resp.Header
	if pt.body, err = io.ReadAll(resp.Body); err != nil {
		pt.err = err
		return
	}
	if pt.status == http.StatusOK {
		pt.head, pt.version, pt.each, pt.err = answers(pt.body, f, len(pt.idx))
	}
}

// merge writes the shards' answers in input order; a shard that failed
// makes the whole batch fail: its own error answer when it sent one, else
// a 502 naming it.
func (r *Router) merge(w http.ResponseWriter, f lookup.Format, parts []*part, owners [][]int) {
	var head []byte
	var versions []string
	for s, pt := range parts {
		if len(pt.idx) == 0 {
			continue
		}
		switch {
		case pt.err != nil:
			problem(w, http.StatusBadGateway, "shard_unavailable", fmt.Sprintf("shard %s: %v", r.targets[s].Name, pt.err))
			return
		case pt.status != http.StatusOK:
			for k, v := range pt.header {
				w.Header()[k] = v
			}
			w.Header().Set("X-Gridmap-Shard", r.targets[s].Name)
			w.WriteHeader(pt.status)
			w.Write(pt.body) //nolint:errcheck
			return
		case head != nil && !bytes.Equal(head, pt.head):
			problem(w, http.StatusBadGateway, "shard_layers", "the shards' layers differ: "+strings.TrimSpace(string(head))+" / "+strings.TrimSpace(string(pt.head)))
			return
		}
		head = pt.head
		for _, v := range pt.header.Values("X-Gridmap-Version") {
			if !slices.Contains(versions, v) {
				versions = append(versions, v)
			}
		}
		if pt.version != "" && !slices.Contains(versions, pt.version) {
			versions = append(versions, pt.version)
		}
	}
	w.Header().Set("Content-Type", f.ContentType())
	w.Header().Set("X-Gridmap-Version", strings.Join(versions, ","))
	w.WriteHeader(http.StatusOK)
	w.Write(mergeBody(f, head, strings.Join(versions, ","), owners, parts)) //nolint:errcheck
}

// mergeBody lays the answers out in input order, in format f; of a point
// asked of several shards, the answer of the nearest grid.
func mergeBody(f lookup.Format, head []byte, version string, owners [][]int, parts []*part) []byte {
	size := len(head) + 64
	for _, pt := range parts {
		size += len(pt.body)
	}
	out := bytes.NewBuffer(make([]byte, 0, size))
	next := make([]int, len(parts))
	if f == lookup.JSON {
		v, _ := json.Marshal(version)
		fmt.Fprintf(out, `{"version":%s,"results":[`, v)
	}
	out.Write(head)
	for i, cands := range owners {
		a := parts[cands[0]].each[next[cands[0]]]
		next[cands[0]]++
		if len(cands) > 1 {
			bestD := distance(a, f)
			for _, s := range cands[1:] {
				c := parts[s].each[next[s]]
				next[s]++
				if d := distance(c, f); d < bestD {
					a, bestD = c, d
				}
			}
		}
		switch f {
		case lookup.JSON:
			if i > 0 {
				out.WriteByte(',')
			}
			out.Write(a)
		case lookup.NDJSON:
			out.Write(a)
			out.WriteByte('\n')
		default:
			out.Write(withNewline(a))
		}
	}
	if f == lookup.JSON {
		out.WriteString("]}\n")
	}
	return out.Bytes()
}
