//! The hyperparameters of a HF-style `config.json` that a spec needs, each
//! optional: what the tensors' shapes say is checked against them. The
//! low-rank GPTs' code base names its `ModelConfig` fields otherwise
//! (`d_model`, `n_head`, `d_ff`, `n_layer`, `use_rmsnorm`); those are read
//! too, so its config can be dumped as it is.

use serde_json::Value;

/// What `config.json` gives, where it gives it.
#[derive(Default)]
pub struct Config {
    /// The file, as the user named it (for errors).
    pub path: String,
    pub hidden_size: Option<usize>,
    pub num_attention_heads: Option<usize>,
    pub num_key_value_heads: Option<usize>,
    pub head_dim: Option<usize>,
    pub intermediate_size: Option<usize>,
    pub num_hidden_layers: Option<usize>,
    pub vocab_size: Option<usize>,
    pub rope_theta: Option<f64>,
    pub rms_norm_eps: Option<f64>,
    pub layer_norm_eps: Option<f64>,
    pub tie_word_embeddings: Option<bool>,
    /// The low-rank code base's choice of norm.
    pub use_rmsnorm: Option<bool>,
}

impl Config {
    /// Reads `path`.
    ///
    /// # Errors
    ///
    /// If it cannot be read, is not a JSON object, or holds a field of the
    /// wrong type.
    pub fn read(path: &std::path::Path) -> Result<Config, String> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{shown}: {e}"))?;
        let json: Value =
            serde_json::from_str(&text).map_err(|e| format!("{shown}: not JSON ({e})"))?;
        Config::of(&json, shown)
    }

    /// The config `json` holds, `shown` naming where it came from.
    ///
    /// # Errors
    ///
    /// If it is not an object, or holds a field of the wrong type.
    pub fn of(json: &Value, shown: String) -> Result<Config, String> {
        let Value::Object(fields) = json else {
            return Err(format!("{shown}: not a JSON object"));
        };
        // The first of `keys` the config has.
        let field = |keys: &[&'static str]| {
            keys.iter()
                .find_map(|&key| fields.get(key).map(|value| (key, value)))
        };
        let count = |keys: &[&'static str]| -> Result<Option<usize>, String> {
            field(keys).map_or(Ok(None), |(key, v)| {
                v.as_u64()
                    .and_then(|n| usize::try_from(n).ok())
                    .map(Some)
                    .ok_or_else(|| format!("{shown}: `{key}` is {v}, not a count"))
            })
        };
        let number = |keys: &[&'static str]| -> Result<Option<f64>, String> {
            field(keys).map_or(Ok(None), |(key, v)| {
                v.as_f64()
                    .map(Some)
                    .ok_or_else(|| format!("{shown}: `{key}` is {v}, not a number"))
            })
        };
        let flag = |key: &'static str| -> Result<Option<bool>, String> {
            field(&[key]).map_or(Ok(None), |(key, v)| {
                v.as_bool()
                    .map(Some)
                    .ok_or_else(|| format!("{shown}: `{key}` is {v}, not a bool"))
            })
        };
        Ok(Config {
            hidden_size: count(&["hidden_size", "d_model"])?,
            num_attention_heads: count(&["num_attention_heads", "n_head"])?,
            num_key_value_heads: count(&["num_key_value_heads"])?,
            head_dim: count(&["head_dim"])?,
            intermediate_size: count(&["intermediate_size", "d_ff"])?,
            num_hidden_layers: count(&["num_hidden_layers", "n_layer"])?,
            vocab_size: count(&["vocab_size"])?,
            rope_theta: number(&["rope_theta"])?,
            rms_norm_eps: number(&["rms_norm_eps"])?,
            layer_norm_eps: number(&["layer_norm_eps", "layer_norm_epsilon"])?,
            tie_word_embeddings: flag("tie_word_embeddings")?,
            use_rmsnorm: flag("use_rmsnorm")?,
            path: shown,
        })
    }

    /// `found`, checked against the config's `key` where it has one.
    ///
    /// # Errors
    ///
    /// If they differ.
    pub fn agrees(&self, key: &str, given: Option<usize>, found: usize) -> Result<usize, String> {
        match given {
            Some(given) if given != found => Err(format!(
                "{}: `{key}` is {given}, but the checkpoint's tensors say {found}",
                self.path
            )),
            _ => Ok(found),
        }
    }
}
