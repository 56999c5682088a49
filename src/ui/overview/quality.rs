//! Archive quality (档案质量): completeness and accuracy archive-wide, per class and per creator,
//! the profiles to fix first with what each lacks, and (for the super administrator) the items
//! a complete profile holds.

use super::{facts, profile_link, ListActions};
use crate::app::archive::Services;
use crate::app::session::Session;
use crate::domain::documents::DocKind;
use crate::domain::fields::Field;
use crate::domain::governance::staff::Role;
use crate::domain::i18n::Msg;
use crate::domain::overview::dashboard::Value;
use crate::domain::overview::quality::{Grade, Group, Quality, Required};
use crate::platform::clock::today;
use crate::ui::{locale, t};
use leptos::prelude::*;

/// Profiles listed to fix first.
const FIX_FIRST: usize = 50;

/// What is wrong with a profile, in the clerk's language.
fn problems(g: &Grade) -> String {
    g.problems(locale()).join("；")
}

#[component]
pub fn QualityPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let required =
        Memo::new(move |_| session.roster.with(|r| r.as_ref().map(|r| r.policy.required()).unwrap_or_default()));
    let quality = Memo::new(move |_| std::sync::Arc::new(Quality::of(&facts(), &required.get(), today())));
    let super_admin = move || session.who().is_some_and(|s| s.role == Role::SuperAdmin);
    view! {
        {move || {
            let f = facts();
            let q = quality.get();
            let fix = q.fix_first(&f, FIX_FIRST);
            let fix_for_export = fix.clone();
            let q_export = q.clone();
            let f_export = f.clone();
            let export = Callback::new(move |_| {
                let headers = [Msg::FName, Msg::FClass, Msg::KpiComplete, Msg::QProblems].map(|m| t(m).to_string()).to_vec();
                let rows = fix_for_export.iter().filter_map(|w| {
                    let c = f_export.customer(*w);
                    let g = q_export.grades[*w as usize]?;
                    Some(vec![c.name.clone(), t(c.class.msg()).to_string(), format!("{:.0}%", f64::from(g.permille) / 10.0), problems(&g)])
                }).collect();
                super::download_csv(t(Msg::QFixFirst), headers, rows);
            });
            view! {
                <div class="ov-quality-figures">
                    <Figure name=Msg::KpiComplete how=Msg::KpiCompleteHow value=q.completeness() testid="q-completeness" />
                    <Figure name=Msg::KpiAccurate how=Msg::KpiAccurateHow value=q.accuracy() testid="q-accuracy" />
                </div>
                <div class="ov-grid">
                    <GroupTable title=Msg::QByClass first=Msg::FClass groups=q.by_class(&f).into_iter().map(|g| Group { key: t(g.key.msg()).to_string(), customers: g.customers, completeness: g.completeness, accuracy: g.accuracy }).collect() testid="q-by-class" />
                    <GroupTable title=Msg::QByCreator first=Msg::QCreator groups=q.by_creator(&f) testid="q-by-creator" />
                </div>
                <section class="card ov-list" data-testid="q-fix-first" aria-labelledby="q-fix-title">
                    <h2 id="q-fix-title">{t(Msg::QFixFirst)}</h2>
                    <p class="muted hint">{t(Msg::QFixFirstHow)}</p>
                    {if fix.is_empty() {
                        view! { <p class="muted">{t(Msg::QAllGood)}</p> }.into_any()
                    } else {
                        view! {
                            <table class="ov-table">
                                <thead><tr><th>{t(Msg::FName)}</th><th>{t(Msg::FClass)}</th><th class="num">{t(Msg::KpiComplete)}</th><th>{t(Msg::QProblems)}</th></tr></thead>
                                <tbody>
                                    {fix.iter().filter_map(|w| {
                                        let g = q.grades[*w as usize]?;
                                        let c = f.customer(*w);
                                        Some(view! {
                                            <tr data-testid="q-fix-row">
                                                <td>{profile_link(&f, *w)}</td>
                                                <td class="nowrap">{t(c.class.msg())}</td>
                                                <td class="num">{format!("{:.0}%", f64::from(g.permille) / 10.0)}</td>
                                                <td>{problems(&g)}</td>
                                            </tr>
                                        })
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <ListActions export=export testid="q-fix" />
                        }.into_any()
                    }}
                </section>
            }
        }}
        <RequiredCard required=required editable=Signal::derive(super_admin) />
    }
}

#[component]
fn Figure(name: Msg, how: Msg, value: Value, testid: &'static str) -> impl IntoView {
    view! {
        <div class="card ov-figure" data-testid=testid>
            <span class="kpi-name">{t(name)}</span>
            <span class="kpi-value" data-testid="q-value">{value.text()}</span>
            <span class="muted hint">{t(how)} {value.working().map(|w| format!("{}{w}", t(Msg::Colon)))}</span>
        </div>
    }
}

#[component]
fn GroupTable(title: Msg, first: Msg, groups: Vec<Group<String>>, testid: &'static str) -> impl IntoView {
    view! {
        <section class="card ov-list" data-testid=testid>
            <h2>{t(title)}</h2>
            <table class="ov-table">
                <thead><tr><th>{t(first)}</th><th class="num">{t(Msg::QProfiles)}</th><th class="num">{t(Msg::KpiComplete)}</th><th class="num">{t(Msg::KpiAccurate)}</th></tr></thead>
                <tbody>
                    {groups.into_iter().map(|g| view! {
                        <tr>
                            <td>{g.key}</td>
                            <td class="num">{crate::domain::overview::dashboard::group(g.customers as i64)}</td>
                            <td class="num">{g.completeness.text()}</td>
                            <td class="num">{g.accuracy.text()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// The items a complete profile holds; a super administrator changes them (signed and synced
/// with the archive's policy).
#[component]
fn RequiredCard(required: Memo<Required>, editable: Signal<bool>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let session = expect_context::<Session>();
    let draft = RwSignal::new(required.get_untracked());
    Effect::new(move |_| draft.set(required.get()));
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let save = move |_| {
        let Some(me) = session.signed_in() else { return };
        let Some(mut policy) = session.roster.with_untracked(|r| r.as_ref().map(|r| r.policy.clone())) else { return };
        policy.set_required(&draft.get_untracked());
        crate::ui::settings::policy::save_policy(svc, session, me, policy, Msg::QRequiredSaved, busy, error);
    };
    let kind_list = move |org: bool| {
        Required::choices(if org {
            crate::domain::model::CustomerKind::Organisation
        } else {
            crate::domain::model::CustomerKind::Person
        })
        .map(move |f: Field| {
            let has = move || draft.with(|r| if org { r.organisation.contains(&f) } else { r.person.contains(&f) });
            view! {
                <label class="toggle">
                    <input type="checkbox" prop:checked=has disabled=move || !editable.get() || busy.get()
                        data-testid=format!("q-req-{}-{}", if org { "org" } else { "person" }, f.path())
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            draft.update(|r| {
                                let list = if org { &mut r.organisation } else { &mut r.person };
                                list.retain(|x| *x != f);
                                if on { list.push(f); list.sort(); }
                            });
                        } />
                    {f.plain_label(locale())}
                </label>
            }
        })
        .collect_view()
    };
    let doc_list = move |org: bool| {
        DocKind::ALL
            .iter()
            .copied()
            .map(move |k| {
                let has = move || {
                    draft.with(|r| if org { r.organisation_docs.contains(&k) } else { r.person_docs.contains(&k) })
                };
                view! {
                    <label class="toggle">
                        <input type="checkbox" prop:checked=has disabled=move || !editable.get() || busy.get()
                            data-testid=format!("q-req-{}-doc-{}", if org { "org" } else { "person" }, k.code())
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                draft.update(|r| {
                                    let list = if org { &mut r.organisation_docs } else { &mut r.person_docs };
                                    list.retain(|x| *x != k);
                                    if on { list.push(k); list.sort_by_key(|k| k.code()); }
                                });
                            } />
                        {t(Msg::QRequiredDoc)} {t(k.msg())}
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card ov-required" data-testid="q-required" aria-labelledby="q-required-title">
            <h2 id="q-required-title">{t(Msg::QRequired)}</h2>
            <p class="muted hint">{move || t(if editable.get() { Msg::QRequiredHow } else { Msg::QRequiredSuperOnly })}</p>
            <fieldset class="ov-req-list"><legend>{t(Msg::KindPerson)}</legend>{kind_list(false)}{doc_list(false)}</fieldset>
            <fieldset class="ov-req-list"><legend>{t(Msg::KindOrganisation)}</legend>{kind_list(true)}{doc_list(true)}</fieldset>
            {move || editable.get().then(|| view! {
                <div class="ov-actions">
                    <button type="button" class="btn primary" data-testid="q-required-save" disabled=move || busy.get() || draft.get() == required.get() on:click=save>{t(Msg::Save)}</button>
                    <button type="button" class="btn" disabled=move || draft.get() == Required::default() on:click=move |_| draft.set(Required::default())>{t(Msg::QRequiredDefaults)}</button>
                </div>
            })}
            {move || error.get().map(|e| view! { <p class="err" role="alert">{e}</p> })}
        </section>
    }
}
