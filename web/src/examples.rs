//! The example gallery: the scenarios of `scenarios/`, indexed by `build.rs` at compile time, so
//! the gallery always lists exactly the files the command line runs. Only the default example's
//! text is compiled in; the page fetches the others when picked, from `examples/` next to it
//! (scripts/build-web copies `scenarios/*.yaml` into `dist/examples/`), which keeps about 19 KB
//! (gzipped) of YAML out of the app's WebAssembly.

/// One example scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    /// The file name in `scenarios/`, e.g. `checkout.yaml`.
    pub file: &'static str,
    /// The first line of the file's opening comment.
    pub title: &'static str,
    /// The file's text, in unit tests only (the page fetches it, see `fetch`; tests/browser.rs
    /// includes `example_texts.rs`, see build.rs).
    #[cfg(test)]
    pub yaml: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/examples.rs"));

/// The example shown when the app opens (`checkout.yaml`); its text is [`DEFAULT_YAML`].
pub fn default_example() -> &'static Example {
    &EXAMPLES[0]
}

/// The example with this file name.
pub fn find(file: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.file == file)
}

/// Where the page fetches an example's text, relative to the page.
pub fn url(file: &str) -> String {
    format!("./examples/{file}")
}

/// Fetches an example's text from [`url`] (the default example's is [`DEFAULT_YAML`], no fetch);
/// the error says why in a few words (`HTTP 404`, the browser's network error).
#[cfg(target_arch = "wasm32")]
pub async fn fetch(file: &str) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    fn why(e: wasm_bindgen::JsValue) -> String {
        match e.dyn_ref::<js_sys::Error>() {
            Some(e) => String::from(e.message()),
            None => e.as_string().unwrap_or_else(|| "the request failed".into()),
        }
    }
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url(file)))
        .await
        .map_err(why)?
        .unchecked_into();
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(why)?)
        .await
        .map_err(why)?;
    text.as_string().ok_or_else(|| "not text".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gallery_holds_every_scenario_file_and_each_loads() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios");
        let on_disk = std::fs::read_dir(dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "yaml")
            })
            .count();
        assert_eq!(EXAMPLES.len(), on_disk);
        assert_eq!(default_example().file, "checkout.yaml");
        assert_eq!(DEFAULT_YAML, default_example().yaml);
        for e in EXAMPLES {
            let yaml = e.yaml;
            assert!(!e.title.is_empty(), "{} has an opening comment", e.file);
            assert_eq!(
                yaml,
                std::fs::read_to_string(format!("{dir}/{}", e.file)).unwrap(),
                "{}: the text the page fetches",
                e.file
            );
            assert!(
                yaml.starts_with(&format!("# {}\n", e.title)),
                "{}: the title is the opening comment's first line",
                e.file
            );
            assert!(sim_core::load(yaml.as_bytes()).is_ok(), "{} loads", e.file);
            assert_eq!(find(e.file), Some(e));
            assert_eq!(url(e.file), format!("./examples/{}", e.file));
        }
    }
}
