//! Where a finding's `line:col` is in the editor's text, for the findings list's jump (a click on a
//! finding, or Enter on it, selects that place in the editor and scrolls to it). Pure, tested
//! natively. Text areas count UTF-16 code units; the loader counts lines and characters from 1.

/// The selection for `line:col` (1-based, characters): from there to the end of its word (up to a
/// space, `,`, `:`, a bracket or the line's end; at least one character when the line has one), in
/// UTF-16 units. A place past the text's end is its end.
pub fn selection(text: &str, line: u32, col: u32) -> (u32, u32) {
    let mut units = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line as usize {
            let skip = col.saturating_sub(1) as usize;
            let start = units
                + l.chars()
                    .take(skip)
                    .map(|c| c.len_utf16() as u32)
                    .sum::<u32>();
            let word: u32 = l
                .chars()
                .skip(skip)
                .take_while(|c| !matches!(c, ' ' | ',' | ':' | '[' | ']' | '{' | '}' | '\r'))
                .map(|c| c.len_utf16() as u32)
                .sum();
            let rest: u32 = l.chars().skip(skip).map(|c| c.len_utf16() as u32).sum();
            return (start, start + word.max(rest.min(1)));
        }
        units += l.chars().map(|c| c.len_utf16() as u32).sum::<u32>() + 1;
    }
    let end = text.encode_utf16().count() as u32;
    (end, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_the_word_at_line_and_column() {
        let text = "version: 1\nname: x\nduration: ten minutes\n";
        assert_eq!(selection(text, 1, 1), (0, 7));
        // `ten` on line 3, column 11.
        let (a, b) = selection(text, 3, 11);
        assert_eq!(&text[a as usize..b as usize], "ten");
        assert_eq!(selection(text, 2, 7), (17, 18));
    }

    #[test]
    fn counts_utf16_units_and_clamps_past_the_end() {
        // `é` is one unit, `𝄞` two; the loader counts each as one column.
        let text = "a: é𝄞\nb: x\n";
        assert_eq!(selection(text, 2, 4), (10, 11));
        assert_eq!(selection(text, 1, 4), (3, 6));
        let end = text.encode_utf16().count() as u32;
        assert_eq!(selection(text, 9, 1), (end, end));
        // A space at the place: one character selected, so the place shows.
        assert_eq!(selection("a:  b\n", 1, 3), (2, 3));
        // An empty line: nothing to select.
        assert_eq!(selection("a: 1\n\nb: 2\n", 2, 1), (5, 5));
    }
}
