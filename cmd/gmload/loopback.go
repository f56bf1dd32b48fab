package main

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// checkLoopback refuses any URL whose host is not localhost, 127.0.0.0/8 or
// ::1. Names other than localhost are not resolved: they are refused.
func checkLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("url %q: %w", raw, err)
	}
	if u.Scheme != "http" {
		return fmt.Errorf("url %q: only http is supported", raw)
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("url %q: host %q is not loopback (127.0.0.0/8, ::1 or localhost): refused", raw, host)
	}
	return nil
}

// dialAddr returns the host:port to dial for u.
func dialAddr(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
