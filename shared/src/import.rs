//! CSV import rows of products and customers: the file's text → the
//! inputs of the JSON create endpoints, or per-row refusals with their
//! line numbers (the header is line 1). Pure, so the server and the fuzz
//! targets run the same code; the server writes the good rows.
//!
//! Every row is checked with the rules of the JSON create endpoints: the
//! cells become a `ProductInput` / `CustomerInput` through the same decimal
//! parsers the JSON deserializer uses, then `validate()`.
use crate::catalog::{CustomerInput, FieldError, ProductInput};
use crate::money::{Money, Percentage};
use std::collections::HashMap;
use std::str::FromStr;

/// Data rows per file at most.
pub const MAX_ROWS: usize = 10_000;

pub const PRODUCT_COLUMNS: &[&str] = &["sku", "name", "unit_price", "tax_percentage"];
pub const CUSTOMER_COLUMNS: &[&str] = &["name", "business_name", "phone", "address", "route"];

pub use crate::wire::admin::RejectedRow;

fn file_error(message: impl Into<String>) -> FieldError {
    FieldError::new("file", message)
}

/// A parsed file: column positions by (lower-case) name and the data rows
/// with their line numbers.
struct Table {
    columns: HashMap<String, usize>,
    rows: Vec<(u64, Result<csv::StringRecord, String>)>,
}

impl Table {
    fn parse(text: &str, required: &[&str]) -> Result<Self, FieldError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| file_error(format!("cabecera ilegible: {e}")))?
            .clone();
        let mut columns = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            let name = h.trim().to_ascii_lowercase();
            if name.is_empty() {
                continue;
            }
            if columns.insert(name.clone(), i).is_some() {
                return Err(file_error(format!("columna repetida: {name}")));
            }
        }
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|c| !columns.contains_key(*c))
            .collect();
        if !missing.is_empty() {
            return Err(file_error(format!(
                "faltan columnas: {} (se requieren {})",
                missing.join(", "),
                required.join(", ")
            )));
        }
        // The reader's own line count skips blank lines; the file's line
        // number is counted from the record's byte offset instead.
        let mut lines = LineCounter::new(text);
        let mut rows = Vec::new();
        for record in reader.records() {
            let row = match record {
                Ok(r) => {
                    let line = lines.line_at(r.position().map_or(0, |p| p.byte()));
                    if r.iter().all(str::is_empty) {
                        continue;
                    }
                    (line, Ok(r))
                }
                Err(e) => {
                    let line = lines.line_at(e.position().map_or(0, |p| p.byte()));
                    (line, Err(format!("fila ilegible: {e}")))
                }
            };
            rows.push(row);
            if rows.len() > MAX_ROWS {
                return Err(file_error(format!("máximo {MAX_ROWS} filas de datos")));
            }
        }
        if rows.is_empty() {
            return Err(file_error("el archivo no tiene filas de datos"));
        }
        Ok(Self { columns, rows })
    }
}

/// Line numbers (1-based) of increasing byte offsets in a text.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The line of the first character at or after `byte` that is not a
    /// line break (a record's position can point at the blank lines the
    /// reader skipped before it).
    fn line_at(&mut self, byte: u64) -> u64 {
        let mut byte = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while self
            .text
            .get(byte)
            .is_some_and(|b| *b == b'\n' || *b == b'\r')
        {
            byte += 1;
        }
        if byte > self.offset {
            // The reader ends a record at `\n`, `\r\n` or a lone `\r` (old
            // Mac files): each is one line break.
            let newlines = (self.offset..byte)
                .filter(|&i| match self.text[i] {
                    b'\n' => true,
                    b'\r' => self.text.get(i + 1) != Some(&b'\n'),
                    _ => false,
                })
                .count();
            self.line += newlines as u64;
            self.offset = byte;
        }
        self.line
    }
}

/// One row's cells by column name; empty cells read as absent.
struct Cells<'a> {
    columns: &'a HashMap<String, usize>,
    record: &'a csv::StringRecord,
}

impl Cells<'_> {
    fn get(&self, column: &str) -> Option<&str> {
        self.columns
            .get(column)
            .and_then(|i| self.record.get(*i))
            .filter(|v| !v.is_empty())
    }

    fn text(&self, column: &str) -> String {
        self.get(column).unwrap_or_default().to_owned()
    }

    fn optional(&self, column: &str) -> Option<String> {
        self.get(column).map(str::to_owned)
    }

    fn flag(&self, column: &str, errors: &mut Vec<String>) -> Option<bool> {
        let v = self.get(column)?;
        match v.to_lowercase().as_str() {
            "true" | "1" | "si" | "sí" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => {
                errors.push(format!("{column}: debe ser true o false"));
                None
            }
        }
    }

    /// A decimal cell through the type's own parser; absent → default.
    fn decimal<T: FromStr + Default>(&self, column: &str, errors: &mut Vec<String>) -> T
    where
        T::Err: std::fmt::Display,
    {
        match self.get(column) {
            None => T::default(),
            Some(v) => T::from_str(v).unwrap_or_else(|e| {
                errors.push(format!("{column}: {e}"));
                T::default()
            }),
        }
    }
}

/// `field: message`, without repeating a field the message already names.
fn field_error(e: FieldError) -> String {
    let prefix = format!("{}:", e.field);
    if e.message.starts_with(&prefix) {
        e.message
    } else {
        format!("{} {}", prefix, e.message)
    }
}

/// Checks every row with `check`; returns the good inputs with their lines
/// and the refused rows.
fn check_rows<T>(
    table: &Table,
    check: impl Fn(&Cells<'_>, &mut Vec<String>) -> Option<T>,
) -> (Vec<T>, Vec<RejectedRow>) {
    let mut good = Vec::new();
    let mut rejected = Vec::new();
    for (line, record) in &table.rows {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                rejected.push(RejectedRow {
                    row: *line,
                    errors: vec![e.clone()],
                });
                continue;
            }
        };
        let cells = Cells {
            columns: &table.columns,
            record,
        };
        let mut errors = Vec::new();
        match check(&cells, &mut errors) {
            Some(input) if errors.is_empty() => good.push(input),
            _ => rejected.push(RejectedRow { row: *line, errors }),
        }
    }
    (good, rejected)
}

fn product_row(c: &Cells<'_>, errors: &mut Vec<String>) -> Option<ProductInput> {
    let unit_price = match c.get("unit_price") {
        None => {
            errors.push("unit_price: unit_price es requerido".into());
            Money::default()
        }
        Some(_) => c.decimal::<Money>("unit_price", errors),
    };
    let input = ProductInput {
        sku: c.text("sku"),
        name: c.text("name"),
        unit_price,
        tax_percentage: c.decimal::<Percentage>("tax_percentage", errors),
        active: c.flag("active", errors),
        version: None,
        edited_at: None,
    };
    if let Err(e) = input.validate() {
        errors.push(field_error(e));
    }
    Some(input)
}

fn customer_row(c: &Cells<'_>, errors: &mut Vec<String>) -> Option<CustomerInput> {
    let input = CustomerInput {
        name: c.text("name"),
        business_name: c.optional("business_name"),
        phone: c.optional("phone"),
        address: c.optional("address"),
        route: c.optional("route"),
        active: c.flag("active", errors),
        version: None,
        edited_at: None,
    };
    if let Err(e) = input.validate() {
        errors.push(field_error(e));
    }
    Some(input)
}

/// A file's good rows and its refused ones.
pub type Checked<T> = (Vec<T>, Vec<RejectedRow>);

/// Product rows of a CSV file; a file-level problem (header, no rows, too
/// many rows) is a `FieldError` on `file`.
pub fn product_rows(text: &str) -> Result<Checked<ProductInput>, FieldError> {
    let table = Table::parse(text, PRODUCT_COLUMNS)?;
    Ok(check_rows(&table, product_row))
}

/// Customer rows of a CSV file, as [`product_rows`].
pub fn customer_rows(text: &str) -> Result<Checked<CustomerInput>, FieldError> {
    let table = Table::parse(text, CUSTOMER_COLUMNS)?;
    Ok(check_rows(&table, customer_row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_file_line_numbers() {
        let text = "sku,name,unit_price,tax_percentage\nA,Uno,1.50,19\n\nB,,x,200\nC,Tres,2,0\n";
        let t = Table::parse(text, PRODUCT_COLUMNS).unwrap();
        let (good, rejected) = check_rows(&t, product_row);
        assert_eq!(good.len(), 2);
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].row, 4);
        let errors = &rejected[0].errors;
        assert!(errors[0].starts_with("unit_price: "), "{errors:?}");
        assert!(errors[1].starts_with("tax_percentage: "), "{errors:?}");
        assert!(errors[2].starts_with("name: "), "{errors:?}");
    }

    #[test]
    fn header_problems_are_file_errors() {
        for text in [
            "sku,name,unit_price\nA,Uno,1\n",
            "sku,name,unit_price,tax_percentage\n",
            "sku,name,unit_price,tax_percentage\n\n\n",
            "",
        ] {
            let err = Table::parse(text, PRODUCT_COLUMNS).err().unwrap();
            assert_eq!(err.field, "file");
        }
    }

    #[test]
    fn columns_in_any_order_quoted_and_with_bom() {
        let text = "\u{feff}Name,SKU,tax_percentage,unit_price,active\n\"Arepa, x10\",AR-10,5,\"3200\",no\n";
        let t = Table::parse(text, PRODUCT_COLUMNS).unwrap();
        let (good, rejected) = check_rows(&t, product_row);
        assert!(rejected.is_empty(), "{rejected:?}");
        assert_eq!(good[0].name, "Arepa, x10");
        assert_eq!(good[0].sku, "AR-10");
        assert_eq!(good[0].unit_price.to_string(), "3200.00");
        assert_eq!(good[0].active, Some(false));
    }

    /// Found by the `csv_rows` fuzz target: with `\r` line ends every row
    /// was reported as line 1, the header's.
    #[test]
    fn lone_carriage_returns_are_line_breaks() {
        let text = "sku,name,unit_price,tax_percentage\rA,Uno,x,19\rB,Dos,1,19\r\nC,,1,1\n";
        let (good, rejected) = product_rows(text).unwrap();
        assert_eq!(good.len(), 1);
        let rows: Vec<u64> = rejected.iter().map(|r| r.row).collect();
        assert_eq!(rows, vec![2, 4]);
    }

    #[test]
    fn too_many_rows() {
        let mut text = String::from("name,business_name,phone,address,route\n");
        for i in 0..=MAX_ROWS {
            text.push_str(&format!("C{i},,,,\n"));
        }
        assert!(Table::parse(&text, CUSTOMER_COLUMNS).is_err());
    }
}
