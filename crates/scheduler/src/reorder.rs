//! pytest's `reorder_items`: items that share a parameter of a wider-scoped fixture (or a
//! `scope=` parametrization) are grouped, so that value is set up once per group rather than
//! once per item. A port of `_pytest/fixtures.py`'s algorithm, step for step.

use std::collections::{HashMap, HashSet, VecDeque};

use ferrotest_discovery::{CollectedModule, TestItem};

/// The scopes above function, widest first, as pytest's `HIGH_SCOPES`.
const HIGH_SCOPES: [&str; 4] = ["session", "package", "module", "class"];

/// pytest's `ParamArgKey`: the argument, its value key, and where the scope's value lives.
type ArgKey = (String, String, String);

/// The item order pytest runs: `items` reordered by their parametrized argument keys.
pub(crate) fn reorder<T>(items: Vec<T>, item: impl Fn(&T) -> (&CollectedModule, &TestItem)) -> Vec<T> {
    let groups_nothing = |candidate: &T| item(candidate).1.callspec.as_ref().is_none_or(|spec| spec.params.is_empty());
    if items.len() < 3 || items.iter().all(groups_nothing) {
        return items;
    }
    let keys = ArgKeys::new(items.iter().map(&item));
    let all: Vec<usize> = (0..items.len()).collect();
    let mut order = keys.reorder_at(all, 0);
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.iter_mut().map(|&mut index| slots[index].take().expect("each item once")).collect()
}

struct ArgKeys {
    /// Per scope: each item's keys in order (deduplicated).
    by_item: Vec<Vec<Vec<ArgKey>>>,
    /// Per scope: the items holding each key, in pytest's (mutable) dict order.
    items_by_key: Vec<std::cell::RefCell<HashMap<ArgKey, Vec<usize>>>>,
}

impl ArgKeys {
    fn new<'a>(items: impl Iterator<Item = (&'a CollectedModule, &'a TestItem)>) -> Self {
        let items: Vec<_> = items.collect();
        let mut by_item = Vec::new();
        let mut items_by_key = Vec::new();
        for scope in HIGH_SCOPES {
            let keys: Vec<Vec<ArgKey>> = items.iter().map(|(module, item)| arg_keys(module, item, scope)).collect();
            let mut holders: HashMap<ArgKey, Vec<usize>> = HashMap::new();
            for (index, item_keys) in keys.iter().enumerate() {
                for key in item_keys {
                    holders.entry(key.clone()).or_default().push(index);
                }
            }
            by_item.push(keys);
            items_by_key.push(std::cell::RefCell::new(holders));
        }
        ArgKeys { by_item, items_by_key }
    }

    /// `reorder_items_atscope`, with `scope` an index into [`HIGH_SCOPES`].
    fn reorder_at(&self, items: Vec<usize>, scope: usize) -> Vec<usize> {
        if scope >= HIGH_SCOPES.len() || items.len() < 3 {
            return items;
        }
        let members: HashSet<usize> = items.iter().copied().collect();
        let mut ignore: HashSet<ArgKey> = HashSet::new();
        let mut deque: VecDeque<usize> = items.into_iter().collect();
        let mut done: Vec<usize> = Vec::new();
        let mut done_set: HashSet<usize> = HashSet::new();
        while !deque.is_empty() {
            let mut no_key: Vec<usize> = Vec::new();
            let mut no_key_set: HashSet<usize> = HashSet::new();
            let mut slicing = None;
            while let Some(item) = deque.pop_front() {
                if done_set.contains(&item) || no_key_set.contains(&item) {
                    continue;
                }
                // Python's `dict.popitem()` takes the last key.
                let Some(key) = self.by_item[scope][item].iter().rev().find(|key| !ignore.contains(*key)).cloned()
                else {
                    no_key.push(item);
                    no_key_set.insert(item);
                    continue;
                };
                let matching: Vec<usize> = self.items_by_key[scope].borrow()[&key]
                    .iter()
                    .copied()
                    .filter(|holder| members.contains(holder))
                    .collect();
                for &holder in matching.iter().rev() {
                    deque.push_front(holder);
                    self.move_to_front(holder);
                }
                slicing = Some(key);
                break;
            }
            if !no_key.is_empty() {
                for item in self.reorder_at(no_key, scope + 1) {
                    if done_set.insert(item) {
                        done.push(item);
                    }
                }
            }
            if let Some(key) = slicing {
                ignore.insert(key);
            }
        }
        done
    }

    /// pytest's "fix items_by_argkey order": `holder` moves to the front of every key list
    /// it is in, at every scope.
    fn move_to_front(&self, holder: usize) {
        for (scope, holders) in self.items_by_key.iter().enumerate() {
            let mut holders = holders.borrow_mut();
            for key in &self.by_item[scope][holder] {
                if let Some(list) = holders.get_mut(key) {
                    list.retain(|&other| other != holder);
                    list.insert(0, holder);
                }
            }
        }
    }
}

/// pytest's `get_param_argkeys(item, scope)`.
fn arg_keys(module: &CollectedModule, item: &TestItem, scope: &str) -> Vec<ArgKey> {
    let Some(callspec) = &item.callspec else { return Vec::new() };
    let place = match scope {
        "session" => String::new(),
        "package" => module.spec.path.parent().map(|dir| dir.display().to_string()).unwrap_or_default(),
        "module" => module.spec.nodeid.clone(),
        _ => format!("{}::{}", module.spec.nodeid, item.classes.join("::")),
    };
    let mut keys: Vec<ArgKey> = Vec::new();
    for param in callspec.params.iter().filter(|param| param.scope == scope) {
        let key = (param.argname.clone(), param.value.clone(), place.clone());
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}
