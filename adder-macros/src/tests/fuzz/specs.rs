//! Every shipped spec, read once: what the fuzz pass mutates and the
//! lexer's differential test reads. Apart from both, so that neither
//! reaches into the other for it.

use std::path::PathBuf;

/// Every shipped spec, with its weight file made absolute (so that it
/// resolves wherever the mutated text is expanded); read once.
pub fn specs() -> &'static [String] {
    static SPECS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SPECS.get_or_init(read_specs)
}

fn read_specs() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../adder/specs");
    let mut specs = Vec::new();
    for dir in [root.clone(), root.join("board"), root.join("handcoded")] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("the specs directory")
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "spec"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("a spec");
            let absolute = format!("file: \"{}/", dir.display());
            specs.push(text.replace("file: \"", &absolute));
        }
    }
    specs
}
