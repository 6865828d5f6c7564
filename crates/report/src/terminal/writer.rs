//! A port of pytest's `TerminalWriter`: markup, `sep` lines and the width of the current line,
//! which pytest's progress and summary layout depend on.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::summary::wcswidth;

/// The ANSI styles pytest's reporter uses (`_esctable` in `_io/terminalwriter.py`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Bold,
    Red,
    Green,
    Yellow,
    Cyan,
}

impl Style {
    fn code(self) -> u8 {
        match self {
            Style::Bold => 1,
            Style::Red => 31,
            Style::Green => 32,
            Style::Yellow => 33,
            Style::Cyan => 36,
        }
    }
}

pub(crate) struct TermWriter<W: Write> {
    out: W,
    color: bool,
    fullwidth: usize,
    /// The width (`wcswidth`) of the text written since the last newline, without markup;
    /// pytest measures it to place `[NN%]`. Kept as text is written: measuring the whole line
    /// again after each progress letter would cost per test.
    current_width: i64,
    /// Where writes go instead of `out` while diverted (see [`TermWriter::divert`]).
    diverted: Option<String>,
}

impl<W: Write> TermWriter<W> {
    pub(crate) fn new(out: W, color: bool, fullwidth: usize) -> Self {
        TermWriter { out, color, fullwidth, current_width: 0, diverted: None }
    }

    /// Collect what is written from now on instead of writing it, still measuring the
    /// current line: pytest's writes while a test's output is captured go to the capture.
    pub(crate) fn divert(&mut self) {
        self.diverted = Some(String::new());
    }

    /// Stop diverting; returns what was written meanwhile.
    pub(crate) fn take_diverted(&mut self) -> String {
        self.diverted.take().unwrap_or_default()
    }

    pub(crate) fn fullwidth(&self) -> usize {
        self.fullwidth
    }

    /// pytest wraps text in one escape per style, in the order given, and a single reset.
    pub(crate) fn markup(&self, text: &str, styles: &[Style]) -> String {
        if !self.color || styles.is_empty() {
            return text.to_string();
        }
        let mut marked: String = styles.iter().map(|s| format!("\x1b[{}m", s.code())).collect();
        marked.push_str(text);
        marked.push_str("\x1b[0m");
        marked
    }

    pub(crate) fn width_of_current_line(&self) -> i64 {
        self.current_width
    }

    pub(crate) fn write(&mut self, msg: &str, styles: &[Style]) -> io::Result<()> {
        if msg.is_empty() {
            return Ok(());
        }
        self.current_width = match msg.rsplit_once('\n') {
            Some((_, tail)) => wcswidth(tail),
            // A control character anywhere makes the whole line's width -1.
            None => match (self.current_width, wcswidth(msg)) {
                (-1, _) | (_, -1) => -1,
                (line, added) => line + added,
            },
        };
        // Unstyled text is written as it is, without a marked-up copy.
        let marked =
            if self.color && !styles.is_empty() { Cow::Owned(self.markup(msg, styles)) } else { Cow::Borrowed(msg) };
        match &mut self.diverted {
            Some(diverted) => {
                diverted.push_str(&marked);
                Ok(())
            }
            None => self.out.write_all(marked.as_bytes()),
        }
    }

    /// Someone else (live logging) wrote to the terminal, ending with a newline.
    pub(crate) fn line_ended_elsewhere(&mut self) {
        self.current_width = 0;
    }

    pub(crate) fn line(&mut self, text: &str, styles: &[Style]) -> io::Result<()> {
        self.write(text, styles)?;
        self.write("\n", &[])
    }

    /// `TerminalWriter.sep`: the longest line of `sepchar` around ` title ` that fits.
    pub(crate) fn sep(
        &mut self,
        sepchar: char,
        title: Option<&str>,
        fullwidth: Option<usize>,
        styles: &[Style],
    ) -> io::Result<()> {
        let fullwidth = fullwidth.unwrap_or(self.fullwidth) as i64;
        let mut line = match title {
            Some(title) => {
                let title_len = title.chars().count() as i64;
                let n = ((fullwidth - title_len - 2).div_euclid(2)).max(1) as usize;
                let fill = sepchar.to_string().repeat(n);
                format!("{fill} {title} {fill}")
            }
            None => sepchar.to_string().repeat(fullwidth.max(0) as usize),
        };
        // Room for one more sepchar at the right end.
        if (line.chars().count() as i64) < fullwidth {
            line.push(sepchar);
        }
        self.line(&line, styles)
    }

    pub(crate) fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn width_after(writes: &[&str]) -> i64 {
        let mut tw = TermWriter::new(Vec::new(), false, 80);
        for text in writes {
            tw.write(text, &[]).unwrap();
        }
        tw.width_of_current_line()
    }

    #[test]
    fn the_current_line_is_measured_as_it_is_written() {
        assert_eq!(width_after(&["test_a.py ", ".", "."]), 12);
        assert_eq!(width_after(&["a", "b\ncd", "e"]), 3);
        assert_eq!(width_after(&["abc\n"]), 0);
        assert_eq!(width_after(&["日本", "x"]), 5);
    }

    #[test]
    fn a_control_character_makes_the_line_unmeasurable_until_a_newline() {
        assert_eq!(width_after(&["a", "\x07", "b"]), -1);
        assert_eq!(width_after(&["\x07", "\n", "ab"]), 2);
    }

    #[test]
    fn unstyled_text_is_written_as_it_is() {
        let mut tw = TermWriter::new(Vec::new(), true, 80);
        tw.write("plain ", &[]).unwrap();
        tw.write("red", &[Style::Red]).unwrap();
        assert_eq!(String::from_utf8(tw.out).unwrap(), "plain \x1b[31mred\x1b[0m");
    }
}
