package lzx

import (
	"testing"
)

// TestNodeReach checks that no item reaches node i+nodeReach from node i:
// the program readies that node at node i (minCostPath), so an item
// reaching it would be lost. The input makes gap items as long as they get
// (an explicit match just short of the longest length, a literal, an R0
// match of the longest length), which must come close to the bound.
func TestNodeReach(t *testing.T) {
	defer func(v bool) { nearAsm = v }(nearAsm)
	nearAsm = false // the Go loop records the reach
	r := randomBytes(4000, 7)
	var in []byte
	for k := 0; k < 8; k++ {
		in = append(in, r[:1000]...)
		for l := 240 + k*2; l < 256; l++ {
			in = append(in, r[:l]...)
			in = append(in, r[l]^0x55)
			in = append(in, r[l+1:l+1+300]...)
			in = append(in, r[1000+k*300+l:1000+k*300+l+20]...)
		}
	}
	in = in[:min(len(in), 1<<15)]
	c, err := NewCompressor(1<<15, 50)
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]byte, len(in))
	if c.Compress(dst, in) == 0 {
		t.Fatal("input did not compress")
	}
	if got := c.no.maxReach; got >= nodeReach || got < nodeReach-10 {
		t.Fatalf("gap items reached %d nodes ahead; nodeReach is %d (want just below)", got, nodeReach)
	}
}
