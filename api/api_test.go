package api_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"github.com/gridmap/gridmap/api"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"sigs.k8s.io/yaml"
)

var update = flag.Bool("update", false, "rewrite openapi.json from openapi.yaml")

// yamlToJSON converts the hand-written YAML to the JSON that is embedded:
// indented, keys sorted (sigs.k8s.io/yaml goes through a map), aliases
// resolved.
func yamlToJSON(t *testing.T) []byte {
	t.Helper()
	src, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	j, err := yaml.YAMLToJSONStrict(src)
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, j, "", "  "); err != nil {
		t.Fatal(err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

// TestJSONFromYAML fails when openapi.json is not what openapi.yaml
// converts to: edit the YAML, then run go test ./api -update.
func TestJSONFromYAML(t *testing.T) {
	want := yamlToJSON(t)
	if *update {
		if err := os.WriteFile("openapi.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(api.OpenAPI, want) && !*update {
		t.Fatal("openapi.json is stale: run go test ./api -update after editing openapi.yaml")
	}
}

// TestDocumentValid checks the document against the OpenAPI 3.1 schema and
// that every reference in it resolves.
func TestDocumentValid(t *testing.T) {
	if *update {
		t.Skip("-update: the embedded document is the one before the update")
	}
	doc, err := libopenapi.NewDocument(api.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	if v := doc.GetVersion(); v != "3.1.0" {
		t.Fatalf("openapi %q, want 3.1.0", v)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		t.Fatalf("build model: %v", err)
	}
	if model.Index != nil {
		for _, e := range model.Index.GetReferenceIndexErrors() {
			t.Errorf("reference: %v", e)
		}
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("%s: %s", e.Message, e.Reason)
			for _, s := range e.SchemaValidationErrors {
				t.Errorf("  %s at %s (line %d)", s.Reason, s.KeywordLocation, s.Line)
			}
		}
	}
}
