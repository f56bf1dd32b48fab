package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// selfSigned writes a self-signed certificate for 127.0.0.1 and its key
// into dir, and returns their paths and a pool holding the certificate.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "gridmap test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestTLS: with tls.cert_file and tls.key_file, serve answers over HTTPS a
// client that trusts the certificate, refuses plain HTTP, and the
// healthcheck of the same configuration finds it healthy.
func TestTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	env := []string{"GRIDMAP_TLS_CERT_FILE=" + certFile, "GRIDMAP_TLS_KEY_FILE=" + keyFile}
	p := gridmap(t, env, "serve", "--data", sampleData(t), "--addr", "127.0.0.1:0")
	base := p.serving(t)
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("serving on %s", base)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.TLS == nil {
		t.Errorf("https: %d, TLS %v", resp.StatusCode, resp.TLS != nil)
	}
	if resp, err := http.Get("http://" + strings.TrimPrefix(base, "https://") + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Error("plain HTTP answered 200 on the TLS address")
		}
	}
	hc := gridmap(t, env, "healthcheck", "--addr", strings.TrimPrefix(base, "https://"))
	if code := hc.exit(t); code != 0 {
		t.Errorf("healthcheck over TLS: exit %d\n%s", code, hc.stderr.String())
	}
	// a certificate that does not load stops start-up naming the keys
	if err := os.WriteFile(keyFile, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := gridmap(t, env, "serve", "--data", sampleData(t), "--addr", "127.0.0.1:0")
	if code := bad.exit(t); code != 1 || !strings.Contains(bad.stderr.String(), "tls.key_file") {
		t.Errorf("bad key: exit %d\n%s", code, bad.stderr.String())
	}
}

// TestHealthcheck: exit 0 for a 200, 1 for another status or no server, 2
// for a bad address.
func TestHealthcheck(t *testing.T) {
	status := http.StatusOK
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
		w.Write([]byte(`{"status":"ok"}`))
	}))
	addr := strings.TrimPrefix(hs.URL, "http://")
	if code, out, errs := gm(t, "", "healthcheck", "--addr", addr); code != 0 || !strings.Contains(out, "healthy") {
		t.Errorf("200: exit %d %q %q", code, out, errs)
	}
	status = http.StatusServiceUnavailable
	if code, _, errs := gm(t, "", "healthcheck", "--addr", addr); code != 1 || !strings.Contains(errs, "503") {
		t.Errorf("503: exit %d %q", code, errs)
	}
	hs.Close()
	if code, _, errs := gm(t, "", "healthcheck", "--addr", addr); code != 1 || !strings.Contains(errs, "unhealthy") {
		t.Errorf("no server: exit %d %q", code, errs)
	}
	if code, _, _ := gm(t, "", "healthcheck", "--addr", "nope"); code != 2 {
		t.Errorf("bad address: exit %d", code)
	}
	// an unspecified host is probed on loopback
	for addr, want := range map[string]string{":8080": "http://127.0.0.1:8080/healthz", "0.0.0.0:1": "http://127.0.0.1:1/healthz", "[::]:2": "http://[::1]:2/healthz"} {
		if got, _ := healthURL(addr, false); got != want {
			t.Errorf("healthURL(%q) = %q, want %q", addr, got, want)
		}
	}
}

// TestVersion: gridmap --version and gridmap version print the build.
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out, errs := gm(t, "", args...)
		if code != 0 || !strings.HasPrefix(out, "gridmap ") || !strings.Contains(out, runtime.Version()) {
			t.Errorf("%v: exit %d %q %q", args, code, out, errs)
		}
	}
	b := buildInfo{Version: "v1.2.3", Commit: "0123456789abcdef0123", Time: "2026-05-01T10:00:00Z", Modified: true, GoVersion: "go1.26.8"}
	if got, want := b.String(), "gridmap v1.2.3 commit 0123456789ab (2026-05-01T10:00:00Z, modified) go1.26.8"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestHelp: gridmap help COMMAND shows the command's help, as
// gridmap COMMAND -h does, for every command; gridmap help lists them.
func TestHelp(t *testing.T) {
	for _, c := range commands {
		code, _, help := gm(t, "", "help", c.name)
		code2, _, dashH := gm(t, "", c.name, "-h")
		if code != 0 || code2 != 0 || help != dashH || !strings.Contains(strings.ToLower(help), "usage") {
			t.Errorf("help %s: exit %d, -h exit %d\n%s\n%s", c.name, code, code2, help, dashH)
		}
	}
	if _, _, help := gm(t, "", "help", "serve"); !strings.Contains(help, "-print-config") || !strings.Contains(help, "$GRIDMAP_LIMITS_RATE") {
		t.Errorf("serve's help lacks its flags:\n%s", help)
	}
	if code, _, errs := gm(t, "", "help"); code != 0 || !strings.Contains(errs, "healthcheck") {
		t.Errorf("help: exit %d %q", code, errs)
	}
	if code, _, _ := gm(t, "", "help", "nope"); code != 2 {
		t.Errorf("help nope: exit %d", code)
	}
}

// TestPrintConfig: serve --print-config prints the effective configuration
// with the secret masked and exits; a bad value exits 1 naming key and
// source, after printing.
func TestPrintConfig(t *testing.T) {
	t.Setenv("GRIDMAP_ADMIN_TOKEN", "sekrit-admin-token")
	code, out, errs := gm(t, "", "serve", "--print-config", "--addr", ":9999")
	if code != 0 || strings.Contains(out+errs, "sekrit") || !strings.Contains(out, `admin_token = "********"  # from GRIDMAP_ADMIN_TOKEN`) || !strings.Contains(out, `addr = ":9999"  # from flag --addr`) {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
	t.Setenv("GRIDMAP_LIMITS_RATE", "fast")
	code, out, errs = gm(t, "", "serve", "--print-config")
	if code != 1 || !strings.Contains(errs, `limits.rate: "fast" is not a number (from GRIDMAP_LIMITS_RATE)`) || !strings.Contains(out, "[limits]") {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
	// a bad value stops serve before it opens anything
	data := filepath.Join(t.TempDir(), "never")
	if code, _, errs := gm(t, "", "serve", "--data", data); code != 1 || !strings.Contains(errs, "limits.rate") {
		t.Errorf("serve with a bad value: exit %d %q", code, errs)
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("the data directory was made: %v", err)
	}
}
