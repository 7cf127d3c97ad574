// Usage: cd scripts/go-template-oracle && GOFLAGS=-buildvcs=false go run . ../../test/fixtures/go-templates/cases.json
// (rewrites each case's "go" expectation in place with what Go's text/template does, as falcosidekick 2.34.1 runs it).
//
// The oracle for Peregrine's Go-template translation (src/enrich/go-*.ts). Each case names a
// mode, because falcosidekick runs templates on two different values:
//   - "field" (templatedfields, handlers.go): `.` is the alert's output_fields map (customfields
//     included); on an execution error the field keeps whatever was written before the error.
//   - "message" (slack/mattermost/… messageformat): `.` is the whole decoded payload struct; on an
//     execution error the message is sent without text.
// The alert is decoded as falcosidekick decodes it: encoding/json with UseNumber, so every number
// in output_fields is a json.Number (a string type holding the JSON text), and `priority` is an
// integer type with a String method.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"text/template"
	"time"
)

// priorityType mirrors falcosidekick's types.PriorityType: an int whose String is the name.
type priorityType int

const (
	prioDefault priorityType = iota
	prioDebug
	prioInformational
	prioNotice
	prioWarning
	prioError
	prioCritical
	prioAlert
	prioEmergency
)

var priorityNames = []string{"", "Debug", "Informational", "Notice", "Warning", "Error", "Critical", "Alert", "Emergency"}

func (p priorityType) String() string {
	if p < 0 || int(p) >= len(priorityNames) {
		return ""
	}
	return priorityNames[p]
}

func (p *priorityType) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*p = prioDefault
	for i, name := range priorityNames {
		if i > 0 && strings.EqualFold(s, name) {
			*p = priorityType(i)
		}
	}
	if strings.EqualFold(s, "info") {
		*p = prioInformational
	}
	return nil
}

// payload mirrors falcosidekick's types.FalcoPayload field for field (names, types, order).
type payload struct {
	UUID         string                 `json:"uuid,omitempty"`
	Output       string                 `json:"output"`
	Priority     priorityType           `json:"priority"`
	Rule         string                 `json:"rule"`
	Time         time.Time              `json:"time"`
	OutputFields map[string]interface{} `json:"output_fields"`
	Source       string                 `json:"source"`
	Tags         []string               `json:"tags,omitempty"`
	Hostname     string                 `json:"hostname,omitempty"`
}

type result struct {
	Output string `json:"output"`
	// "parse" (refused when loaded), "exec" (failed on this alert) or absent.
	Error   string `json:"error,omitempty"`
	Message string `json:"message,omitempty"`
}

type testCase struct {
	ID        string          `json:"id"`
	Mode      string          `json:"mode"`
	Template  string          `json:"template"`
	Alert     string          `json:"alert"`
	Note      string          `json:"note,omitempty"`
	Go        *result         `json:"go,omitempty"`
	Peregrine json.RawMessage `json:"peregrine,omitempty"`
}

type corpus struct {
	Comment string            `json:"comment"`
	Alerts  map[string]string `json:"alerts"`
	Cases   []testCase        `json:"cases"`
}

// decode reads an alert as falcosidekick's newFalcoPayload does (the parts a template can see).
func decode(text string) (payload, error) {
	var p payload
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	if err := d.Decode(&p); err != nil {
		return payload{}, err
	}
	if p.Source == "" {
		p.Source = "syscalls"
	}
	sort.Strings(p.Tags)
	return p, nil
}

func run(c testCase, alerts map[string]string) result {
	text, ok := alerts[c.Alert]
	if !ok {
		return result{Error: "setup", Message: "unknown alert " + c.Alert}
	}
	p, err := decode(text)
	if err != nil {
		return result{Error: "setup", Message: err.Error()}
	}
	tmpl, err := template.New("").Parse(c.Template)
	if err != nil {
		return result{Error: "parse", Message: err.Error()}
	}
	var data any = p
	if c.Mode == "field" {
		if p.OutputFields == nil {
			p.OutputFields = map[string]interface{}{}
		}
		data = p.OutputFields
	}
	buf := new(bytes.Buffer)
	if err := tmpl.Execute(buf, data); err != nil {
		out := buf.String() // templatedfields keep the partial text
		if c.Mode == "message" {
			out = "" // chat outputs send the message without text
		}
		return result{Output: out, Error: "exec", Message: err.Error()}
	}
	return result{Output: buf.String()}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run . path/to/cases.json")
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var c corpus
	if err := json.Unmarshal(raw, &c); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for i := range c.Cases {
		r := run(c.Cases[i], c.Alerts)
		if r.Error == "setup" {
			fmt.Fprintf(os.Stderr, "case %s: %s\n", c.Cases[i].ID, r.Message)
			os.Exit(1)
		}
		c.Cases[i].Go = &r
	}
	out := new(bytes.Buffer)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile(os.Args[1], out.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
