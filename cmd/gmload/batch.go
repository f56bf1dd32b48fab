package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
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
}

// runBatch POSTs c.Batch random points in one request whose body is
// generated on the fly through a pipe, reads the streamed answer and counts
// its lines.
func runBatch(c *Config) (*BatchReport, error) {
	rep := &BatchReport{Mode: "batch", URL: c.URL, Format: c.Format, Points: c.Batch}
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
	var rd io.Reader = bytes.NewReader(body.Bytes())
	if !c.Length {
		rd = struct{ io.Reader }{rd} // no length known: sent chunked
	}
	ctype := map[string]string{"ndjson": "application/x-ndjson", "csv": "text/csv"}[c.Format]
	req, err := http.NewRequest(http.MethodPost, c.URL, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", ctype)
	if !c.Length {
		req.ContentLength = -1
	}
	sent := &counter{n: int64(body.Len())}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		rep.Error = err.Error()
		return rep, nil
	}
	defer resp.Body.Close()
	rep.Status = resp.StatusCode
	br := bufio.NewReaderSize(resp.Body, 1<<20)
	lines := 0
	var last []byte
	for {
		line, err := br.ReadSlice('\n')
		rep.BytesRead += int64(len(line))
		if len(line) > 0 {
			lines++
			if c.Format == "ndjson" && bytes.HasPrefix(line, []byte(`{"error"`)) {
				rep.Error = strings.TrimSpace(string(line))
			}
			last = append(last[:0], line...)
		}
		if err == bufio.ErrBufferFull {
			lines-- // a line longer than the buffer: count it once
			continue
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			rep.Error = err.Error()
			break
		}
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
	return err
}

func errSuffix(e string) string {
	if e == "" {
		return ""
	}
	return "\n  error: " + e
}
