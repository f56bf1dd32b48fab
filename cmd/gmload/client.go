package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// conn is one keep-alive HTTP/1.1 connection with a minimal client: it
// writes prebuilt requests and reads answers by Content-Length or chunks,
// so that the load generator spends little of the shared CPU.
type conn struct {
	addr string
	c    net.Conn
	br   *bufio.Reader
	line []byte
}

func (k *conn) close() {
	if k.c != nil {
		k.c.Close()
		k.c = nil
	}
}

// do sends req and reads the whole answer. It returns the status code and
// the body when keep is set (else the body is discarded).
func (k *conn) do(req []byte, keep bool) (int, []byte, error) {
	if k.c == nil {
		c, err := net.DialTimeout("tcp", k.addr, 5*time.Second)
		if err != nil {
			return 0, nil, err
		}
		k.c = c
		if k.br == nil {
			k.br = bufio.NewReaderSize(c, 64<<10)
		} else {
			k.br.Reset(c)
		}
	}
	k.c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := k.c.Write(req); err != nil {
		k.close()
		return 0, nil, err
	}
	status, body, err := k.read(keep)
	if err != nil {
		k.close()
	}
	return status, body, err
}

var errProtocol = errors.New("bad HTTP answer")

func (k *conn) read(keep bool) (int, []byte, error) {
	line, err := k.br.ReadSlice('\n')
	if err != nil {
		return 0, nil, fmt.Errorf("read status: %w", err)
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, nil, fmt.Errorf("%w: status line %q", errProtocol, line)
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, nil, fmt.Errorf("%w: status line %q", errProtocol, line)
	}
	length, chunked, closing := -1, false, false
	for {
		h, err := k.br.ReadSlice('\n')
		if err != nil {
			return status, nil, fmt.Errorf("read headers: %w", err)
		}
		h = bytes.TrimRight(h, "\r\n")
		if len(h) == 0 {
			break
		}
		name, value, ok := bytes.Cut(h, []byte(":"))
		if !ok {
			continue
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			length, err = strconv.Atoi(string(value))
			if err != nil {
				return status, nil, fmt.Errorf("%w: Content-Length %q", errProtocol, value)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			closing = bytes.EqualFold(value, []byte("close"))
		}
	}
	var body []byte
	var w io.Writer = io.Discard
	var buf bytes.Buffer
	if keep {
		w = &buf
	}
	switch {
	case chunked:
		for {
			sz, err := k.br.ReadSlice('\n')
			if err != nil {
				return status, nil, fmt.Errorf("read chunk: %w", err)
			}
			n, err := strconv.ParseInt(string(bytes.TrimSpace(bytes.SplitN(sz, []byte(";"), 2)[0])), 16, 64)
			if err != nil {
				return status, nil, fmt.Errorf("%w: chunk size %q", errProtocol, sz)
			}
			if n == 0 {
				if _, err := k.br.ReadSlice('\n'); err != nil {
					return status, nil, err
				}
				break
			}
			if _, err := io.CopyN(w, k.br, n); err != nil {
				return status, nil, err
			}
			if _, err := k.br.Discard(2); err != nil {
				return status, nil, err
			}
		}
	case length >= 0:
		if keep {
			if _, err := io.CopyN(w, k.br, int64(length)); err != nil {
				return status, nil, err
			}
		} else if _, err := k.br.Discard(length); err != nil {
			return status, nil, fmt.Errorf("read body: %w", err)
		}
	default:
		return status, nil, fmt.Errorf("%w: neither Content-Length nor chunked", errProtocol)
	}
	if keep {
		body = buf.Bytes()
	}
	if closing {
		k.close()
	}
	return status, body, nil
}
