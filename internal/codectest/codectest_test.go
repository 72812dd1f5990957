package codectest

import (
	"bytes"
	"testing"
)

// TestOracleServe: the long-running oracle gives the one-shot script's
// bytes, answers call after call, and reports wimlib's refusal of a
// corrupt chunk as an error without dying.
func TestOracleServe(t *testing.T) {
	py := OraclePath(t)
	data := append(bytes.Repeat([]byte("oracle "), 10000), RandomBytes(5000, 1)...)
	recs := OracleCompress(t, "lzx", 32768, 50, data)
	if len(recs) != 3 || len(recs[0].Data) >= recs[0].USize {
		t.Fatalf("%d records, first %d bytes", len(recs), len(recs[0].Data))
	}
	if got := OracleDecompress(t, "lzx", 32768, recs); !bytes.Equal(got, data) {
		t.Fatal("round trip through the oracle changed the data")
	}
	p, err := startOracle(py)
	if err != nil {
		t.Fatal(err)
	}
	defer p.stop(nil)
	bad := []Record{{USize: 32768, Data: bytes.Repeat([]byte{0xff}, 100)}}
	if _, reply, err := p.call(FormatRecords(bad), []string{"decompress", "lzx", "32768"}); err != nil || reply == nil {
		t.Fatalf("corrupt chunk: reply %v, process %v", reply, err)
	}
	out, reply, err := p.call(data, []string{"compress", "lzx", "32768", "50"})
	if err != nil || reply != nil || !bytes.Equal(out, FormatRecords(recs)) {
		t.Fatalf("after an error: reply %v, process %v, same bytes %v", reply, err, bytes.Equal(out, FormatRecords(recs)))
	}
}
