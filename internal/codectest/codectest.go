// Package codectest holds what the codec packages' tests share: a corpus
// built from the Go toolchain they run with, and the raw chunk oracle
// (tools/wimlib_raw_oracle.py, the system libwim driven through ctypes) for
// checking chunks both ways. It is imported only by tests.
package codectest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Record is one chunk as the oracle exchanges it: its uncompressed size and
// its bytes, stored raw when len(Data) == USize.
type Record struct {
	USize int
	Data  []byte
}

var oracleCheck = sync.OnceValues(func() (string, error) {
	_, file, _, _ := runtime.Caller(0)
	p := filepath.Join(filepath.Dir(file), "..", "..", "tools", "wimlib_raw_oracle.py")
	_, err := os.Stat(p)
	if err == nil {
		if _, err = exec.LookPath("python3"); err == nil {
			err = exec.Command("python3", "-c", "import ctypes; ctypes.CDLL('libwim.so.15')").Run()
		}
	}
	return p, err
})

// OraclePath returns the oracle script, skipping the test when python3 or
// libwim.so.15 is missing, or failing it when CI=true. (Checked once per
// test binary: starting Python costs more than most oracle calls.)
func OraclePath(t testing.TB) string {
	t.Helper()
	p, err := oracleCheck()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("wimlib oracle unavailable: %v", err)
		}
		t.Skipf("wimlib oracle unavailable: %v", err)
	}
	return p
}

// ParseRecords splits the oracle's output: u32 usize, u32 csize, data.
func ParseRecords(t testing.TB, b []byte) []Record {
	t.Helper()
	var recs []Record
	for len(b) > 0 {
		if len(b) < 8 {
			t.Fatalf("truncated oracle record")
		}
		u := int(binary.LittleEndian.Uint32(b))
		n := int(binary.LittleEndian.Uint32(b[4:]))
		if len(b) < 8+n {
			t.Fatalf("truncated oracle record")
		}
		recs = append(recs, Record{u, b[8 : 8+n]})
		b = b[8+n:]
	}
	return recs
}

// FormatRecords is the inverse of ParseRecords.
func FormatRecords(recs []Record) []byte {
	var out []byte
	for _, r := range recs {
		out = binary.LittleEndian.AppendUint32(out, uint32(r.USize))
		out = binary.LittleEndian.AppendUint32(out, uint32(len(r.Data)))
		out = append(out, r.Data...)
	}
	return out
}

// oracleProc is a running "wimlib_raw_oracle.py serve": one per test
// running an oracle call at the same moment, kept for the next call, since
// starting Python and loading libwim costs more than most calls (0.6 s of
// CPU each, over a hundred calls per codec package).
type oracleProc struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr bytes.Buffer
}

var oracleIdle struct {
	sync.Mutex
	procs []*oracleProc
}

func startOracle(py string) (*oracleProc, error) {
	p := &oracleProc{cmd: exec.Command("python3", py, "serve")}
	p.cmd.Stderr = &p.stderr
	in, err := p.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	p.in, p.out = in, bufio.NewReader(out)
	return p, nil
}

// call sends one request; a non-nil proc error means the process is
// unusable (it is then stopped), a reply error that wimlib refused.
func (p *oracleProc) call(in []byte, args []string) (out []byte, reply, proc error) {
	req := fmt.Sprintf("%s %d\n", strings.Join(args, " "), len(in))
	if _, err := io.WriteString(p.in, req); err != nil {
		return nil, nil, p.stop(err)
	}
	if _, err := p.in.Write(in); err != nil {
		return nil, nil, p.stop(err)
	}
	line, err := p.out.ReadString('\n')
	if err != nil {
		return nil, nil, p.stop(err)
	}
	line = strings.TrimSuffix(line, "\n")
	if msg, ok := strings.CutPrefix(line, "err "); ok {
		return nil, errors.New(msg), nil
	}
	ns, ok := strings.CutPrefix(line, "ok ")
	n, err := strconv.Atoi(ns)
	if !ok || err != nil || n < 0 {
		return nil, nil, p.stop(fmt.Errorf("bad reply %q", line))
	}
	out = make([]byte, n)
	if _, err := io.ReadFull(p.out, out); err != nil {
		return nil, nil, p.stop(err)
	}
	return out, nil, nil
}

func (p *oracleProc) stop(err error) error {
	p.in.Close()
	p.cmd.Process.Kill()
	p.cmd.Wait()
	return fmt.Errorf("%v\n%s", err, p.stderr.Bytes())
}

func runOracle(t testing.TB, in []byte, args ...string) []byte {
	t.Helper()
	py := OraclePath(t)
	oracleIdle.Lock()
	var p *oracleProc
	if n := len(oracleIdle.procs); n > 0 {
		p = oracleIdle.procs[n-1]
		oracleIdle.procs = oracleIdle.procs[:n-1]
	}
	oracleIdle.Unlock()
	if p == nil {
		var err error
		if p, err = startOracle(py); err != nil {
			t.Fatalf("oracle: %v", err)
		}
	}
	out, reply, err := p.call(in, args)
	if err != nil {
		t.Fatalf("oracle %v: %v", args, err)
	}
	oracleIdle.Lock()
	oracleIdle.procs = append(oracleIdle.procs, p)
	oracleIdle.Unlock()
	if reply != nil {
		t.Fatalf("oracle %v: %v", args, reply)
	}
	return out
}

// OracleCompress compresses data with wimlib's codec ("xpress", "lzx") in
// chunks of chunk bytes at level.
func OracleCompress(t testing.TB, codec string, chunk, level int, data []byte) []Record {
	t.Helper()
	return ParseRecords(t, runOracle(t, data, "compress", codec, strconv.Itoa(chunk), strconv.Itoa(level)))
}

// OracleDecompress decodes records with wimlib, failing the test on error.
func OracleDecompress(t testing.TB, codec string, chunk int, recs []Record) []byte {
	t.Helper()
	return runOracle(t, FormatRecords(recs), "decompress", codec, strconv.Itoa(chunk))
}

var (
	corpusOnce sync.Once
	corpusText []byte
	corpusBin  []byte
)

// Corpus returns up to 4 MiB of Go source text and the go binary (x86
// machine code, many E8 bytes), skipping the test when they are missing.
func Corpus(t testing.TB) (text, bin []byte) {
	corpusOnce.Do(func() {
		root := GoRoot(t)
		filepath.WalkDir(filepath.Join(root, "src", "net"), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && filepath.Ext(p) == ".go" && len(corpusText) < 4<<20 {
				if b, err := os.ReadFile(p); err == nil {
					corpusText = append(corpusText, b...)
				}
			}
			return nil
		})
		if b, err := os.ReadFile(filepath.Join(root, "bin", "go")); err == nil {
			corpusBin = b
		} else if exe, err := os.Executable(); err == nil {
			corpusBin, _ = os.ReadFile(exe)
		}
	})
	if len(corpusText) == 0 || len(corpusBin) == 0 {
		t.Skip("no corpus: Go toolchain files not readable")
	}
	return corpusText, corpusBin
}

// RandomBytes returns n pseudo-random bytes from seed.
func RandomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// GoRoot is $(go env GOROOT), the tree of the toolchain running the tests
// (runtime.GOROOT is deprecated, and empty for a trimmed build).
func GoRoot(t testing.TB) string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	return strings.TrimSpace(string(out))
}
