package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("version: x\nlists: [{code: Bad}]\n"), 0o600)
	tests := []struct {
		name    string
		args    []string
		wantOut string
		wantErr string
	}{
		{"version", []string{"version"}, "chengxin", ""},
		{"help", []string{"help"}, "chengxin serve", ""},
		{"unknown command", []string{"launch"}, "Usage", `unknown command "launch"`},
		{"shipped catalog is valid", []string{"catalog", "validate", "../../catalog/catalog.yaml"}, "— valid", ""},
		{"bad catalog names the field", []string{"catalog", "validate", bad}, "", "lists[0]"},
		{"verify without a store", []string{"log", "verify", "--data", dir}, "", "no store"},
		{"serve over a non-postgres URL", []string{"serve", "--db", "mysql://x", "--audit-key", filepath.Join(dir, "k.pem")}, "", "postgres://"},
		{"serve --db needs a key", []string{"serve", "--db", "postgres://x"}, "", "--audit-key"},
		{"follow needs a token", []string{"follow", "--data", dir, "--token", ""}, "", "--token"},
		{"bad public mask", []string{"serve", "--public-mask", "four", "--data", dir}, "", "--public-mask"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), tc.args, &out)
			if tc.wantErr == "" && err != nil {
				t.Fatalf("error: %v", err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
			if !strings.Contains(out.String(), tc.wantOut) {
				t.Fatalf("output %q lacks %q", out.String(), tc.wantOut)
			}
		})
	}
}
