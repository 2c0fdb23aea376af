package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyTree copies a folder of test pages, so the test imports files it
// owns.
func copyTree(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return to
}

// TestImport_Folder imports a copy of the fixtures folder: every page that
// holds a level with items is imported, the others are refused with the
// reason, and importing again adds no version.
func TestImport_Folder(t *testing.T) {
	dir := copyTree(t, "../../internal/jobfamily/testdata")
	os.RemoveAll(filepath.Join(dir, "golden"))
	os.RemoveAll(filepath.Join(dir, "handbook"))
	dbPath := filepath.Join(t.TempDir(), "r.db")
	out, stderr, err := runCmd(t, "", "import", "-db", dbPath, dir)
	if err == nil {
		t.Fatal("a folder with refused pages reported success")
	}
	for _, refused := range []string{"legal-and-corporate-affairs___index.md: refused: ", "LICENSE.md: refused: "} {
		if !strings.Contains(stderr, refused) {
			t.Errorf("stderr does not refuse %q with a reason:\n%s", refused, stderr)
		}
	}
	if got := strings.Count(out, ": imported as version "); got != 16 {
		t.Errorf("%d pages imported, want 16 (every fixture but the link-only index):\n%s", got, out)
	}
	if !strings.Contains(stderr, "18 files: 16 imported (0 unchanged), 2 refused") {
		t.Errorf("no summary line:\n%s", stderr)
	}

	out, _, _ = runCmd(t, "", "import", "-db", dbPath, dir)
	if got := strings.Count(out, ": unchanged, still version "); got != 16 {
		t.Errorf("re-import: %d pages unchanged, want 16:\n%s", got, out)
	}
}

// TestImport_FolderCrossPage imports two pages of a handbook, one extending
// the other, and checks the link survives in the stored role.
func TestImport_FolderCrossPage(t *testing.T) {
	dir := copyTree(t, "../../internal/jobfamily/testdata/handbook/engineering")
	dbPath := filepath.Join(t.TempDir(), "r.db")
	out, stderr, err := runCmd(t, "", "import", "-db", dbPath, dir)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, `resolved to "Backend Engineer" on backend-engineer.md`) {
		t.Errorf("the cross-page link was not resolved:\n%s", stderr)
	}
	if !strings.Contains(out, `senior-backend-engineer.md: imported as version 1 "Senior Backend Engineer" (senior-backend-engineer): 2 levels`) {
		t.Errorf("the senior page lacks the level it extends:\n%s", out)
	}
	// Listing the roles parses the stored versions again: the senior page
	// still has the level it extends, from the page stored with it.
	out, stderr, err = runCmd(t, "", "roles", "-db", dbPath)
	if err != nil {
		t.Fatalf("roles: %v\n%s", err, stderr)
	}
	var fields []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "senior-backend-engineer ") {
			fields = strings.Fields(line)
		}
	}
	if len(fields) < 6 || fields[4] != "2" || fields[5] != "5" {
		t.Errorf("stored senior role: %q, want 2 levels and 5 items\n%s", fields, out)
	}
}
