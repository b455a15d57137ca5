//! Files on the page: opening a scenario from disk (file picker or drag and drop onto the editor),
//! saving the editor's text as `<scenario name>.yaml`, autosaving it to local storage and choosing
//! what the page starts with (a share link's scenario, else the autosaved text, else the default
//! example). The names are plain Rust and tested natively; the browser calls exist for wasm32 only.

/// Files larger than this are not opened, before a byte of them is read (the core's bound on a
/// scenario's size; no scenario comes near it).
pub const MAX_OPEN: f64 = sim_core::yaml::MAX_SOURCE_BYTES as f64;

/// The scenario's `name:` (the top-level key), if the text has one.
pub fn scenario_name(yaml: &str) -> Option<String> {
    let line = yaml.lines().find_map(|l| l.strip_prefix("name:"))?;
    let value = line.split(" #").next().unwrap_or(line).trim();
    let value = value.trim_matches(|c| c == '"' || c == '\'').trim();
    let clean: String = value
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let clean = clean.trim_matches(|c| c == '-' || c == '.').to_string();
    (!clean.is_empty()).then_some(clean)
}

/// The file name Save gives the editor's text: `<scenario name>.yaml`, else `fallback`.
pub fn save_name(yaml: &str, fallback: &str) -> String {
    match scenario_name(yaml) {
        Some(n) => format!("{n}.yaml"),
        None if fallback.is_empty() => "scenario.yaml".into(),
        None => fallback.into(),
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::*;

#[cfg(target_arch = "wasm32")]
mod browser {
    use crate::examples;
    use crate::share;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{Blob, BlobPropertyBag, File, HtmlAnchorElement, Url};

    /// Local storage keys of the autosave.
    const YAML_KEY: &str = "archsim.scenario";
    const FILE_KEY: &str = "archsim.file";

    fn window() -> Option<web_sys::Window> {
        web_sys::window()
    }

    fn storage() -> Option<web_sys::Storage> {
        window()?.local_storage().ok().flatten()
    }

    /// What the page starts with.
    pub struct Start {
        pub file: String,
        pub yaml: String,
        /// Said above the editor: why a share link could not be read.
        pub notice: Option<String>,
    }

    /// A share link's scenario (`#s=...`), else the autosaved text, else the default example.
    pub fn start() -> Start {
        let default = |notice| {
            let e = examples::default_example();
            Start {
                file: e.file.into(),
                yaml: examples::DEFAULT_YAML.into(),
                notice,
            }
        };
        let hash = window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        match share::from_fragment(&hash) {
            Some(Ok(yaml)) => Start {
                file: super::save_name(&yaml, "shared.yaml"),
                yaml,
                notice: None,
            },
            Some(Err(e)) => default(Some(format!(
                "This share link cannot be opened: {e}. Showing the default example instead."
            ))),
            None => {
                let saved = storage().and_then(|s| Some((s.get_item(YAML_KEY).ok()??, s)));
                match saved {
                    Some((yaml, s)) => Start {
                        file: s
                            .get_item(FILE_KEY)
                            .ok()
                            .flatten()
                            .unwrap_or_else(|| super::save_name(&yaml, "")),
                        yaml,
                        notice: None,
                    },
                    None => default(None),
                }
            }
        }
    }

    /// Saves the editor's text to local storage (quietly does nothing where there is none).
    pub fn autosave(file: &str, yaml: &str) {
        if let Some(s) = storage() {
            let _ = s.set_item(YAML_KEY, yaml);
            let _ = s.set_item(FILE_KEY, file);
        }
    }

    /// Once the text is edited, a share link in the address no longer describes it: drop it
    /// (without a new history entry), so a reload restores the autosaved text.
    pub fn forget_share_fragment() {
        let Some(w) = window() else { return };
        let hash = w.location().hash().unwrap_or_default();
        if share::from_fragment(&hash).is_none() {
            return;
        }
        let (Ok(path), Ok(search), Ok(history)) =
            (w.location().pathname(), w.location().search(), w.history())
        else {
            return;
        };
        let _ =
            history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{search}")));
    }

    /// The share link of a scenario for this page's address.
    pub fn share_link(yaml: &str) -> String {
        let base = window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        share::link(&base, yaml)
    }

    /// Puts text on the clipboard; `done` gets whether that worked (it needs a secure context and
    /// the user's permission).
    pub fn copy_to_clipboard(text: &str, done: impl FnOnce(bool) + 'static) {
        let Some(w) = window() else {
            return done(false);
        };
        let clipboard = w.navigator().clipboard();
        if clipboard.is_undefined() {
            return done(false);
        }
        let promise = clipboard.write_text(text);
        wasm_bindgen_futures::spawn_local(async move {
            done(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
        });
    }

    /// Downloads `text` as a file called `name` (a Blob behind a temporary `<a download>`).
    pub fn download(name: &str, text: &str) -> Result<(), String> {
        let err = |e: JsValue| format!("cannot save the file: {e:?}");
        let document = window()
            .and_then(|w| w.document())
            .ok_or("cannot save the file: no document")?;
        let parts = js_sys::Array::of1(&JsValue::from_str(text));
        let opts = BlobPropertyBag::new();
        opts.set_type("application/yaml");
        let blob = Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(err)?;
        let url = Url::create_object_url_with_blob(&blob).map_err(err)?;
        let a: HtmlAnchorElement = document.create_element("a").map_err(err)?.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.set_hidden(true);
        let body = document.body().ok_or("cannot save the file: no body")?;
        body.append_child(&a).map_err(err)?;
        a.click();
        a.remove();
        // Revoked a moment later: the download reads the object URL after the click returns.
        let revoke = Closure::once_into_js(move || {
            let _ = Url::revoke_object_url(&url);
        });
        if let Some(w) = window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                revoke.unchecked_ref(),
                10_000,
            );
        }
        Ok(())
    }

    /// Reads a file the user picked or dropped as text; `done` gets its name and text, or why not.
    pub fn read(file: File, done: impl FnOnce(Result<(String, String), String>) + 'static) {
        let name = file.name();
        if file.size() > super::MAX_OPEN {
            return done(Err(format!(
                "{name} is too large to be a scenario ({:.0} KB; at most {} bytes)",
                file.size() / 1024.0,
                sim_core::yaml::MAX_SOURCE_BYTES
            )));
        }
        wasm_bindgen_futures::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            done(match text.ok().and_then(|t| t.as_string()) {
                Some(t) => Ok((name, t)),
                None => Err(format!("cannot read {name}")),
            });
        });
    }

    /// Whether a drag carries files (text dragged into the editor is left to the browser).
    pub fn drags_files(e: &web_sys::DragEvent) -> bool {
        e.data_transfer()
            .map(|d| {
                d.types()
                    .iter()
                    .any(|t| t.as_string().as_deref() == Some("Files"))
            })
            .unwrap_or(false)
    }

    /// The first file a drop or a file input carries.
    pub fn first_file(files: Option<web_sys::FileList>) -> Option<File> {
        files?.get(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_under_the_scenario_name() {
        assert_eq!(
            save_name("# c\nname: checkout\nduration: 1s\n", "x.yaml"),
            "checkout.yaml"
        );
        assert_eq!(
            save_name("name: \"my shop\"  # a comment\n", "x.yaml"),
            "my-shop.yaml"
        );
        assert_eq!(
            save_name("name: ../etc/passwd\n", "x.yaml"),
            "etc-passwd.yaml"
        );
        assert_eq!(save_name("components: {}\n", "x.yaml"), "x.yaml");
        assert_eq!(save_name("  name: nested\n", ""), "scenario.yaml");
        for e in crate::examples::EXAMPLES {
            assert_eq!(
                save_name(e.yaml, ""),
                e.file,
                "each example saves under its file name"
            );
        }
    }
}
