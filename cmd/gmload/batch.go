package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// BatchReport is the outcome of one streamed batch POST.
type BatchReport struct {
	Mode         string  `json:"mode"`
	URL          string  `json:"url"`
	Format       string  `json:"format"`
	Points       int     `json:"points"`
	Answered     int     `json:"answered"`
	Status       int     `json:"status"`
	Seconds      float64 `json:"seconds"`
	PointsPerSec float64 `json:"points_per_sec"`
	BytesSent    int64   `json:"bytes_sent"`
	BytesRead    int64   `json:"bytes_read"`
	Error        string  `json:"error,omitempty"`
	// with --bare: rounds, each round's figure, the bare handler's median
	// and gridmap's median over it
	Rounds           int       `json:"rounds,omitempty"`
	RoundsPerSec     []float64 `json:"rounds_points_per_sec,omitempty"`
	BarePointsPerSec float64   `json:"bare_points_per_sec,omitempty"`
	BareRoundsPerSec []float64 `json:"bare_rounds_points_per_sec,omitempty"`
	BareError        string    `json:"bare_error,omitempty"`
	Ratio            float64   `json:"ratio,omitempty"`
}

// runBatch POSTs c.Batch points in one request, reads the streamed answer
// and counts its lines. With --bare it alternates, c.Rounds times, with the
// same body POSTed to a bare net/http handler (a child process) that reads
// each line and writes a fixed line of the mean size of gridmap's answer
// lines: the loopback ceiling of moving that many bytes, measured in the
// same run. The report gives the medians.
func runBatch(c *Config) (*BatchReport, error) {
	var pts []point
	if c.Points != "" {
		var err error
		if pts, err = loadPoints(c); err != nil {
			return nil, err
		}
	}
	// The body is built before the clock starts, as a client sending a
	// file has it at hand: the load generator shares the machine's two
	// cores with the server, and formatting a million coordinates while
	// sending would take CPU from the server under test.
	var body bytes.Buffer
	if err := writePoints(&body, c, pts); err != nil {
		return nil, err
	}
	if !c.Bare {
		return postBatch(c, c.URL, body.Bytes())
	}
	var bareURL string
	var runs, bares []*BatchReport
	for i := 0; i < c.Rounds; i++ {
		r, err := postBatch(c, c.URL, body.Bytes())
		if err != nil {
			return nil, err
		}
		if r.Error != "" {
			return r, nil
		}
		runs = append(runs, r)
		if bareURL == "" {
			addr, _, stop, err := startBare(0)
			if err != nil {
				return nil, err
			}
			defer stop()
			line := r.BytesRead / int64(r.Answered+1)
			bareURL = fmt.Sprintf("http://%s/batch?line=%d", addr, line)
		}
		br, err := postBatch(c, bareURL, body.Bytes())
		if err != nil {
			return nil, err
		}
		bares = append(bares, br)
	}
	rep := *medianRun(runs)
	rep.Rounds = c.Rounds
	for _, r := range runs {
		rep.RoundsPerSec = append(rep.RoundsPerSec, r.PointsPerSec)
	}
	for _, r := range bares {
		rep.BareRoundsPerSec = append(rep.BareRoundsPerSec, r.PointsPerSec)
	}
	rep.BarePointsPerSec = medianRun(bares).PointsPerSec
	rep.BareError = medianRun(bares).Error
	if rep.BarePointsPerSec > 0 {
		rep.Ratio = rep.PointsPerSec / rep.BarePointsPerSec
	}
	return &rep, nil
}

// medianRun returns the run of median throughput.
func medianRun(rs []*BatchReport) *BatchReport {
	s := append([]*BatchReport(nil), rs...)
	sort.Slice(s, func(i, j int) bool { return s[i].PointsPerSec < s[j].PointsPerSec })
	return s[len(s)/2]
}

// postBatch POSTs body to url and reads the streamed answer.
func postBatch(c *Config, url string, body []byte) (*BatchReport, error) {
	rep := &BatchReport{Mode: "batch", URL: url, Format: c.Format, Points: c.Batch}
	var rd io.Reader = bytes.NewReader(body)
	if !c.Length {
		rd = struct{ io.Reader }{rd} // no length known: sent chunked
	}
	ctype := map[string]string{"ndjson": "application/x-ndjson", "csv": "text/csv"}[c.Format]
	req, err := http.NewRequest(http.MethodPost, url, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", ctype)
	if !c.Length {
		req.ContentLength = -1
	}
	sent := &counter{n: int64(len(body))}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		rep.Error = err.Error()
		return rep, nil
	}
	defer resp.Body.Close()
	rep.Status = resp.StatusCode
	// Lines are counted in large reads, keeping only the end of the answer
	// (where an NDJSON error line or an error body is): copying each of a
	// million 650-byte lines would take CPU from the server under test.
	buf := make([]byte, 1<<20)
	var tail []byte
	lines := 0
	for {
		n, err := resp.Body.Read(buf)
		chunk := buf[:n]
		rep.BytesRead += int64(n)
		lines += bytes.Count(chunk, []byte{'\n'})
		if n > 0 {
			if n >= 64<<10 {
				tail = append(tail[:0], chunk[n-64<<10:]...)
			} else {
				tail = append(tail, chunk...)
				if len(tail) > 128<<10 {
					tail = append(tail[:0], tail[len(tail)-64<<10:]...)
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			rep.Error = err.Error()
			break
		}
	}
	if len(tail) > 0 && tail[len(tail)-1] != '\n' {
		lines++ // a last line without its newline
	}
	last := bytes.TrimRight(tail, "\n")
	if i := bytes.LastIndexByte(last, '\n'); i >= 0 {
		last = last[i+1:]
	}
	if c.Format == "ndjson" && bytes.HasPrefix(last, []byte(`{"error"`)) {
		rep.Error = strings.TrimSpace(string(last))
	}
	el := time.Since(start)
	rep.Seconds = el.Seconds()
	rep.BytesSent = sent.n
	rep.Answered = lines
	if c.Format == "csv" {
		rep.Answered-- // header
	}
	if resp.StatusCode/100 != 2 && rep.Error == "" {
		rep.Error = fmt.Sprintf("status %d: %s", resp.StatusCode, strings.TrimSpace(string(last)))
	}
	if rep.Error == "" && rep.Answered != rep.Points {
		rep.Error = fmt.Sprintf("%d answers for %d points", rep.Answered, rep.Points)
	}
	rep.PointsPerSec = float64(rep.Answered) / el.Seconds()
	return rep, nil
}

// writePoints writes c.Batch points in c.Format: pts in turn, or seeded
// random points in c.BBox when pts is empty.
func writePoints(w io.Writer, c *Config, pts []point) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	r := newRng(c.Seed)
	var b []byte
	if c.Format == "csv" {
		bw.WriteString("id,lon,lat\n")
	}
	for i := 0; i < c.Batch; i++ {
		var p point
		if len(pts) > 0 {
			p = pts[i%len(pts)]
		} else {
			p = r.point(c.BBox)
		}
		b = b[:0]
		if c.Format == "csv" {
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, ',')
			b = strconv.AppendFloat(b, p[0], 'f', 7, 64)
			b = append(b, ',')
			b = strconv.AppendFloat(b, p[1], 'f', 7, 64)
		} else {
			b = append(b, `{"id":`...)
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, `,"lon":`...)
			b = strconv.AppendFloat(b, p[0], 'f', 7, 64)
			b = append(b, `,"lat":`...)
			b = strconv.AppendFloat(b, p[1], 'f', 7, 64)
			b = append(b, '}')
		}
		b = append(b, '\n')
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return bw.Flush()
}

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func (r *BatchReport) write(w io.Writer, asJSON bool) error {
	if asJSON {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(r)
	}
	_, err := fmt.Fprintf(w, "%s batch %s: %d points, %d answered in %.2f s: %.0f points/s (status %d, %.1f MB sent, %.1f MB read)%s\n",
		r.URL, r.Format, r.Points, r.Answered, r.Seconds, r.PointsPerSec, r.Status, float64(r.BytesSent)/1e6, float64(r.BytesRead)/1e6, errSuffix(r.Error))
	if err == nil && r.Rounds > 0 {
		_, err = fmt.Fprintf(w, "  median of %d rounds; bare handler %.0f points/s: ratio %.3f%s\n", r.Rounds, r.BarePointsPerSec, r.Ratio, errSuffix(r.BareError))
	}
	return err
}

func errSuffix(e string) string {
	if e == "" {
		return ""
	}
	return "\n  error: " + e
}
