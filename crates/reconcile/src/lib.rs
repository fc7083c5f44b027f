//! sitrep-reconcile: what many articles say, taken together.
//!
//! The input is every stored claim (`ClaimInput`); the output (`Reconciliation`) is
//! - **events**: claims about the same happening (same type, compatible place, time and
//!   agent), each with its corroboration: distinct sources and outlets, split by side;
//! - **contradictions**: asserted vs denied, opposite control claims, disjoint numbers;
//! - the **control ledger**: per place, who is claimed to hold it since when, by whom;
//! - **numbers**: per measure, the values claimed, by whom and when.
//!
//! `reconcile` is a pure function of its input and the rules file
//! (`lexicons/reconcile/rules.toml`): the same claims give the same ids. `persist`
//! reads claims from and writes results to the store; `report` renders the situation
//! report from what is stored.

mod contradictions;
mod events;
pub mod model;
pub mod persist;
pub mod report;
pub mod rules;
#[doc(hidden)]
pub mod synthetic;
mod time;

pub use events::{area_of, corroborate};
pub use model::*;
pub use rules::Rules;

/// Reconcile all claims. Claims should come oldest first (by `order`); they are sorted
/// here anyway so that ids do not depend on the caller.
pub fn reconcile(mut claims: Vec<ClaimInput>, rules: &Rules) -> Reconciliation {
    claims.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
    let prep: Vec<_> = claims.iter().map(|c| events::prepare(c, rules)).collect();
    let members = events::group(&claims, &prep, rules);
    let mut event_of = vec![0usize; claims.len()];
    for (e, m) in members.iter().enumerate() {
        for &i in m {
            event_of[i] = e;
        }
    }
    let mut evs: Vec<Event> = members.iter().map(|m| events::build_event(m, &claims, &prep, rules)).collect();
    let cx = contradictions::Ctx { claims: &claims, prep: &prep, event_of: &event_of, events: &evs, rules };
    let mut found = contradictions::denials(&cx, &members);
    let (control, c2) = contradictions::control(&cx, &members);
    let (numbers, c3) = contradictions::numbers(&cx);
    found.extend(c2);
    found.extend(c3);
    let index: rustc_hash::FxHashMap<&str, usize> =
        claims.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
    for c in &found {
        for id in [&c.a.claim_id, &c.b.claim_id] {
            let e = event_of[index[id.as_str()]];
            if !evs[e].contradictions.contains(&c.id) {
                evs[e].contradictions.push(c.id.clone());
            }
        }
    }
    let assignments = claims.iter().enumerate().map(|(i, c)| (c.id.clone(), evs[event_of[i]].id.clone())).collect();
    Reconciliation { events: evs, assignments, contradictions: found, control, numbers }
}

#[cfg(test)]
mod tests;
