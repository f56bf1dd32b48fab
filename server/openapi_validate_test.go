package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/api"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi-validator/content"
	lverrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"
)

var (
	docOnce      sync.Once
	docValidator validator.Validator
	problemShape *base.Schema
	docErr       error
)

// apiValidator returns a validator of requests and answers against the
// embedded OpenAPI document (package api), made once, and the document's
// Problem schema.
func apiValidator(t *testing.T) (validator.Validator, *base.Schema) {
	t.Helper()
	docOnce.Do(func() {
		doc, err := libopenapi.NewDocument(api.OpenAPI)
		if err != nil {
			docErr = err
			return
		}
		v, errs := validator.NewValidator(doc,
			config.WithStandardBodyDecoders(),
			config.WithBodyDecoder("application/x-ndjson", ndjsonDecoder()),
			config.WithBodyDecoder("application/vnd.mapbox-vector-tile", content.BinaryDecoder()),
		)
		if len(errs) > 0 {
			docErr = fmt.Errorf("validator: %v", errs)
			return
		}
		docValidator = v
		model, err := doc.BuildV3Model()
		if err != nil {
			docErr = err
			return
		}
		problemShape = model.Model.Components.Schemas.GetOrZero("Problem").Schema()
	})
	if docErr != nil {
		t.Fatal(docErr)
	}
	return docValidator, problemShape
}

// ndjsonDecoder decodes a newline-delimited JSON body for the validator:
// the document gives the schema of one line (OpenAPI 3.1 has no schema of a
// sequence of values), so every line is checked against it here, and the
// first line is what the validator checks again.
func ndjsonDecoder() content.Decoder {
	return content.DecoderFunc(func(in *content.DecodeInput) (any, error) {
		sv := schema_validation.NewSchemaValidator()
		var first any
		sc := bufio.NewScanner(in.Body)
		sc.Buffer(make([]byte, 0, 1<<16), 1<<24)
		for n := 1; sc.Scan(); n++ {
			line := bytes.TrimSpace(sc.Bytes())
			if len(line) == 0 {
				continue
			}
			var v any
			if err := json.Unmarshal(line, &v); err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			if ok, errs := sv.ValidateSchemaObject(in.Schema, v); !ok {
				return nil, fmt.Errorf("line %d: %s", n, describe(errs))
			}
			if first == nil {
				first = v
			}
		}
		return first, sc.Err()
	})
}

// describe lists validation errors, with the schema failures under each.
func describe(errs []*lverrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "\n  %s: %s", e.Message, e.Reason)
		for _, s := range e.SchemaValidationErrors {
			fmt.Fprintf(&b, "\n    %s (at %s)", s.Reason, s.FieldPath)
		}
	}
	return b.String()
}

// checkAnswer validates resp (whose body is b) to req against the
// document. An answer of a path the document does not have (an unknown
// route, a wrong method) is checked against the Problem schema alone.
func checkAnswer(t *testing.T, req *http.Request, resp *http.Response, b []byte, unrouted bool) {
	t.Helper()
	v, problem := apiValidator(t)
	if unrouted {
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
			t.Errorf("Content-Type %q, want application/problem+json: %s", ct, b)
		}
		if ok, errs := schema_validation.NewSchemaValidator().ValidateSchemaBytes(problem, b); !ok {
			t.Errorf("not a problem document: %s%s", b, describe(errs))
		}
		return
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	if ok, errs := v.ValidateHttpResponse(req, resp); !ok {
		t.Errorf("answer %d %s drifts from the document:%s\nbody: %.600s", resp.StatusCode, resp.Header.Get("Content-Type"), describe(errs), b)
	}
}

// checkRequest validates req, whose body is body before any gzip (gz),
// against the document: it must pass, or fail when bad says the request
// breaks the document on purpose (so the document must tell).
func checkRequest(t *testing.T, req *http.Request, body []byte, gz, bad bool) {
	t.Helper()
	v, _ := apiValidator(t)
	r := req.Clone(req.Context())
	if gz {
		r.Header.Del("Content-Encoding")
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	ok, errs := v.ValidateHttpRequestSync(r)
	switch {
	case !ok && !bad:
		t.Errorf("request %s %s breaks the document:%s", req.Method, req.URL, describe(errs))
	case ok && bad:
		t.Errorf("request %s %s is bad, but the document allows it", req.Method, req.URL)
	}
}
