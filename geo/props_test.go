package geo_test

import (
	"encoding/json"
	"testing"

	"github.com/gridmap/gridmap/geo"
)

func TestDecodePropsKeepsDigits(t *testing.T) {
	in := `{"code":320281112209004001,"small":42,"frac":1.5,"neg":-9007199254740993,"huge":123456789012345678901234567890,"exp":1e3,"pow":1152921504606846976,"list":[320281112209004001,7],"s":"x"}`
	m, err := geo.DecodeProps([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{
		"code": "json.Number", "small": "float64", "frac": "float64", "neg": "json.Number",
		"huge": "json.Number", "exp": "float64", "pow": "json.Number", "s": "string",
	} {
		got := "?"
		switch m[k].(type) {
		case json.Number:
			got = "json.Number"
		case float64:
			got = "float64"
		case string:
			got = "string"
		}
		if got != want {
			t.Errorf("%s: %T, want %s", k, m[k], want)
		}
	}
	out, _ := json.Marshal(m)
	var back map[string]json.RawMessage
	json.Unmarshal(out, &back)
	for _, k := range []string{"code", "neg", "huge", "pow"} {
		var orig map[string]json.RawMessage
		json.Unmarshal([]byte(in), &orig)
		if string(back[k]) != string(orig[k]) {
			t.Errorf("%s written back as %s, was %s", k, back[k], orig[k])
		}
	}
	if string(back["list"]) != "[320281112209004001,7]" {
		t.Errorf("list written back as %s", back["list"])
	}
}
