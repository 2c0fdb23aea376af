package report

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"
)

// XLSX writes every table of the report as one workbook: a sheet per
// table, named after it, with the same header and cells as its CSV file
// (numbers as numbers), and an "about" sheet first saying which role,
// filter and period the figures cover.
func (r *Report) XLSX() ([]byte, error) {
	wb := excelize.NewFile()
	defer wb.Close()
	bold, err := wb.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, fmt.Errorf("report: xlsx style: %w", err)
	}
	about := Table{Name: "about", Head: []string{"field", "value"}, Numeric: []bool{false, false}}
	add := func(k, v string) { about.Rows = append(about.Rows, []Field{{Text: k}, {Text: v}}) }
	add("role", r.Title)
	add("requested_from", r.Period.Requested.From)
	add("requested_to", r.Period.Requested.To)
	if r.Period.Reported != nil {
		add("reported_from", r.Period.Reported.From)
		add("reported_to", r.Period.Reported.To)
	}
	add("period_note", r.Period.Note)
	add("channel", orAll(r.Filter.Channel))
	add("check", orAll(r.Filter.Mode))
	if r.Filter.VersionID != 0 {
		add("version", fmt.Sprint(r.Filter.VersionID))
	} else {
		add("version", "all")
	}
	add("shares", "fractions from 0 to 1 (columns ending in _fraction)")
	tables := append([]Table{about}, r.Tables()...)
	for i, t := range tables {
		if i == 0 {
			if err := wb.SetSheetName("Sheet1", t.Name); err != nil {
				return nil, fmt.Errorf("report: xlsx sheet: %w", err)
			}
		} else if _, err := wb.NewSheet(t.Name); err != nil {
			return nil, fmt.Errorf("report: xlsx sheet %s: %w", t.Name, err)
		}
		if err := writeSheet(wb, t, bold); err != nil {
			return nil, fmt.Errorf("report: xlsx sheet %s: %w", t.Name, err)
		}
	}
	var b bytes.Buffer
	if err := wb.Write(&b); err != nil {
		return nil, fmt.Errorf("report: write xlsx: %w", err)
	}
	return b.Bytes(), nil
}

func orAll(s string) string {
	if s == "" {
		return "all"
	}
	return s
}

// writeSheet writes a table's header and rows. Text goes in as a string
// cell, so a spreadsheet never runs it as a formula.
func writeSheet(wb *excelize.File, t Table, bold int) error {
	sw, err := wb.NewStreamWriter(t.Name)
	if err != nil {
		return err
	}
	head := make([]any, len(t.Head))
	for i, h := range t.Head {
		head[i] = excelize.Cell{Value: h, StyleID: bold}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{}); err != nil {
		return err
	}
	for i, row := range t.Rows {
		cells := make([]any, len(row))
		for j, f := range row {
			switch {
			case f.Num:
				cells[j] = f.V
			case f.Text == "":
				cells[j] = nil
			default:
				cells[j] = f.Text
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}
