//go:build linux

package main

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// pty is a pseudo-terminal: the test writes keys to the master side and
// reads what the program draws; the program runs on the slave side.
type pty struct {
	master, slave *os.File

	mu     sync.Mutex
	out    []byte
	mark   int           // expect looks after this offset
	notify chan struct{} // a read happened
	done   chan struct{} // the reader stopped
}

// openPTY opens /dev/ptmx, unlocks its slave and sizes the terminal, using
// only the syscall package (no tmux, no new module).
func openPTY(rows, cols uint16) (*pty, error) {
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, err
	}
	var n uint32
	if err := ioctl(m, syscall.TIOCSPTLCK, unsafe.Pointer(new(int32))); err != nil { // unlockpt
		m.Close()
		return nil, fmt.Errorf("unlockpt: %w", err)
	}
	if err := ioctl(m, syscall.TIOCGPTN, unsafe.Pointer(&n)); err != nil { // ptsname
		m.Close()
		return nil, fmt.Errorf("ptsname: %w", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		return nil, err
	}
	ws := struct{ row, col, x, y uint16 }{rows, cols, 0, 0}
	if err := ioctl(s, syscall.TIOCSWINSZ, unsafe.Pointer(&ws)); err != nil {
		m.Close()
		s.Close()
		return nil, fmt.Errorf("setting the window size: %w", err)
	}
	p := &pty{master: m, slave: s, notify: make(chan struct{}, 1), done: make(chan struct{})}
	go p.read()
	return p, nil
}

func ioctl(f *os.File, req uintptr, arg unsafe.Pointer) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var errno syscall.Errno
	if err := rc.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, req, uintptr(arg))
	}); err != nil {
		return err
	}
	if errno != 0 {
		return errno
	}
	return nil
}

func (p *pty) read() {
	defer close(p.done)
	buf := make([]byte, 4096)
	for {
		n, err := p.master.Read(buf)
		if n > 0 {
			p.mu.Lock()
			p.out = append(p.out, buf[:n]...)
			p.mu.Unlock()
			select {
			case p.notify <- struct{}{}:
			default:
			}
		}
		if err != nil { // EIO once the program's side is closed
			return
		}
	}
}

// ansi matches terminal escape sequences, which expect ignores.
var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

// expect waits until the output since the last match contains want (with
// escape sequences removed), and moves past it.
func (p *pty) expect(t *testing.T, want string, timeout time.Duration) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		seen := string(p.out[p.mark:])
		clean := ansi.ReplaceAllString(seen, "")
		if i := strings.Index(clean, want); i >= 0 {
			// Move the mark past the match in the raw output.
			raw := 0
			for c := 0; raw < len(seen) && c < i+len(want); {
				if loc := ansi.FindStringIndex(seen[raw:]); loc != nil && loc[0] == 0 {
					raw += loc[1]
					continue
				}
				raw++
				c++
			}
			p.mark += raw
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
		select {
		case <-p.notify:
		case <-p.done:
			p.mu.Lock()
			clean := ansi.ReplaceAllString(string(p.out[p.mark:]), "")
			p.mu.Unlock()
			if !strings.Contains(clean, want) {
				t.Fatalf("the program ended before printing %q; after the last match it printed:\n%s", want, clean)
			}
		case <-deadline.C:
			t.Fatalf("no %q within %s; after the last match the terminal shows:\n%s", want, timeout, clean)
		}
	}
}

// since returns the output after the last match, without escape sequences.
func (p *pty) since() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return ansi.ReplaceAllString(string(p.out[p.mark:]), "")
}

func (p *pty) send(t *testing.T, keys string) {
	t.Helper()
	if _, err := p.master.Write([]byte(keys)); err != nil {
		t.Fatal(err)
	}
}

// start runs cmd on the terminal as the leader of a new session, so that
// Ctrl-C typed on the terminal sends it SIGINT as it would in real life.
func (p *pty) start(cmd *exec.Cmd) error {
	cmd.Stdin, cmd.Stdout, cmd.Stderr = p.slave, p.slave, p.slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	err := cmd.Start()
	p.slave.Close() // the child holds it now; the reader sees EIO when the child exits
	return err
}
