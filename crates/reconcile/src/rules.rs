//! The reconciler's rules, read from `lexicons/reconcile/rules.toml`.

use anyhow::Result;
use serde::Deserialize;
use sitrep_lexicon::Lexicons;

#[derive(Debug, Clone, Deserialize)]
pub struct Rules {
    pub time: TimeRules,
    pub blocs: Blocs,
    pub numbers: NumberRules,
    pub stance: StanceRules,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TimeRules {
    pub slack_days: i32,
    pub undated_window_days: i32,
    pub wide_interval_days: i32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Blocs {
    pub russian: Vec<String>,
    pub ukrainian: Vec<String>,
    pub western: Vec<String>,
    pub opponents: std::collections::BTreeMap<String, String>,
    pub controller: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NumberRules {
    pub tolerance: f64,
    pub window_days: i32,
    pub same_area_km: f64,
    pub stances: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StanceRules {
    pub affirming: Vec<String>,
    pub denying: Vec<String>,
}

impl Rules {
    pub fn load(lex: &Lexicons) -> Result<Self> {
        lex.parse("reconcile/rules.toml")
    }

    /// The bloc ("russian", "ukrainian", "western") of a country code or an actor code
    /// (its first three letters).
    pub fn bloc(&self, code: &str) -> Option<&'static str> {
        let c = code.get(..3).unwrap_or(code);
        let has = |list: &[String]| list.iter().any(|x| x == c || x == code);
        if has(&self.blocs.russian) {
            Some("russian")
        } else if has(&self.blocs.ukrainian) {
            Some("ukrainian")
        } else if has(&self.blocs.western) {
            Some("western")
        } else {
            None
        }
    }

    /// The country said to control a place after `agent` takes it (`capture`) or leaves
    /// it (`withdrawal`).
    pub fn controller_after(&self, event_type: &str, agent: &str) -> Option<String> {
        let bloc = self.bloc(agent)?;
        let bloc = match event_type {
            "capture" => bloc.to_string(),
            "withdrawal" => self.blocs.opponents.get(bloc)?.clone(),
            _ => return None,
        };
        self.blocs.controller.get(&bloc).cloned()
    }

    /// The corroboration category of a source: `russian_official`, `ukrainian_official`,
    /// `western_official`, `other_official`, `independent_analyst` or `media`.
    pub fn category(&self, kind: &str, side: Option<&str>) -> &'static str {
        match kind {
            "analyst" => "independent_analyst",
            "media" | "outlet" => "media",
            _ => match side.and_then(|s| self.bloc(s)) {
                Some("russian") => "russian_official",
                Some("ukrainian") => "ukrainian_official",
                Some("western") => "western_official",
                _ => "other_official",
            },
        }
    }

    pub fn is_affirming(&self, stance: &str) -> bool {
        self.stance.affirming.iter().any(|s| s == stance)
    }

    pub fn is_denying(&self, stance: &str) -> bool {
        self.stance.denying.iter().any(|s| s == stance)
    }
}
