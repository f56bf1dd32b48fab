package catalog

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// NewUpload makes a directory for the files of one upload under
// Options.Uploads, named after this process so that a later start can tell
// it is left over, and returns it with the function that removes it.
func (c *Catalog) NewUpload() (dir string, remove func(), err error) {
	if err := os.MkdirAll(c.opts.Uploads, 0o755); err != nil {
		return "", nil, fmt.Errorf("uploads: %w", err)
	}
	dir, err = os.MkdirTemp(c.opts.Uploads, strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return "", nil, fmt.Errorf("uploads: %w", err)
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}

// sweepUploads removes the upload directories under root of processes that
// are gone (and of this process's id, which only a dead one can have left
// before this start): a server killed during an import leaves its upload
// behind.
func sweepUploads(root string, logger *log.Logger) {
	ents, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range ents {
		pidText, _, ok := strings.Cut(e.Name(), "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || !e.IsDir() {
			continue
		}
		if pid != os.Getpid() && alive(pid) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(root, e.Name())); err != nil {
			logger.Printf("uploads: %v", err)
			continue
		}
		logger.Printf("removed upload %s left by process %d", e.Name(), pid)
	}
}

// alive reports whether process pid exists (one of another user counts).
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || err == syscall.EPERM
}
