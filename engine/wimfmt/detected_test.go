package wimfmt

import (
	"strings"
	"testing"
)

// TestAddImageDetected: properties an image's contents give come right
// after the timestamps, before WIMBOOT; FLAGS given to AddImage replaces
// a detected FLAGS in place (as wimcapture --flags does in wimlib).
func TestAddImageDetected(t *testing.T) {
	x := NewWIMXML()
	x.AddImage(ImageInfo{
		Name:    "w",
		Flags:   "Mine",
		WIMBoot: true,
		Detected: []ImageProperty{
			{Path: "WINDOWS/SYSTEMROOT", Value: "WINDOWS"},
			{Path: "FLAGS", Value: "Professional"},
			{Path: "DISPLAYNAME", Value: "Windows 10 Pro"},
			{Path: "WINDOWS/LANGUAGES/LANGUAGE[1]", Value: "de-DE"},
			{Path: "WINDOWS/LANGUAGES/LANGUAGE[2]", Value: "en-US"},
			{Path: "WINDOWS/LANGUAGES/DEFAULT", Value: "de-DE"},
		},
	})
	got := decodeUTF16(t, x.Encode(0))
	want := "<LASTMODIFICATIONTIME><HIGHPART>0x00000000</HIGHPART><LOWPART>0x00000000</LOWPART></LASTMODIFICATIONTIME>" +
		"<WINDOWS><SYSTEMROOT>WINDOWS</SYSTEMROOT><LANGUAGES><LANGUAGE>de-DE</LANGUAGE><LANGUAGE>en-US</LANGUAGE><DEFAULT>de-DE</DEFAULT></LANGUAGES></WINDOWS>" +
		"<FLAGS>Mine</FLAGS><DISPLAYNAME>Windows 10 Pro</DISPLAYNAME><WIMBOOT>1</WIMBOOT></IMAGE>"
	if !strings.Contains(got, want) {
		t.Errorf("document %s\nlacks %s", got, want)
	}
}
