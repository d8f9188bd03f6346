//! An ECharts chart driven from Rust: the option is ECharts JSON built by [`crate::charts`];
//! this component owns the ECharts instance (init, update, resize with its box, click, dispose)
//! and re-creates it when the theme changes. ECharts itself is the page's `echarts.min.js`.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use super::state::use_state;
use crate::i18n::*;

#[wasm_bindgen]
extern "C" {
    type EChartsInstance;

    #[wasm_bindgen(js_namespace = echarts, js_name = init, catch)]
    fn echarts_init(el: &web_sys::HtmlElement, theme: &JsValue) -> Result<EChartsInstance, JsValue>;
    #[wasm_bindgen(method, js_name = setOption)]
    fn set_option(this: &EChartsInstance, option: &JsValue, not_merge: bool);
    #[wasm_bindgen(method)]
    fn resize(this: &EChartsInstance);
    #[wasm_bindgen(method)]
    fn dispose(this: &EChartsInstance);
    #[wasm_bindgen(method)]
    fn on(this: &EChartsInstance, event: &str, handler: &js_sys::Function);
    #[wasm_bindgen(method, js_name = getDataURL)]
    fn get_data_url(this: &EChartsInstance, options: &JsValue) -> String;
}

fn to_js(option: &serde_json::Value) -> JsValue {
    use serde::Serialize;
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    option.serialize(&serializer).unwrap_or(JsValue::NULL)
}

/// What was clicked: the item's data as the option gave it (the builders in [`crate::charts`]
/// put a key, or coordinates, there and read it back).
#[derive(Clone, Debug, PartialEq)]
pub struct ChartClick {
    pub data: serde_json::Value,
}

fn click_of(params: &JsValue) -> ChartClick {
    let data = js_sys::Reflect::get(params, &"data".into()).unwrap_or(JsValue::UNDEFINED);
    let data = js_sys::JSON::stringify(&data).ok().and_then(|s| s.as_string()).and_then(|s| serde_json::from_str(&s).ok());
    ChartClick { data: data.unwrap_or(serde_json::Value::Null) }
}

/// The chart's ECharts instance and whether it was made dark.
type Instance = StoredValue<Option<(EChartsInstance, bool)>, LocalStorage>;

/// The option with a transparent background unless it sets one: ECharts' dark theme paints
/// its own near-black box, which sits oddly inside the page's grey cards.
fn on_card_colour(mut option: serde_json::Value) -> serde_json::Value {
    if let Some(map) = option.as_object_mut() {
        map.entry("backgroundColor").or_insert_with(|| "transparent".into());
    }
    option
}

/// A new ECharts instance in `el`, with the click handler.
fn start(el: &web_sys::HtmlElement, dark: bool, on_click: Option<Callback<ChartClick>>) -> Option<EChartsInstance> {
    let theme = if dark { JsValue::from_str("dark") } else { JsValue::NULL };
    match echarts_init(el, &theme) {
        Ok(i) => {
            if let Some(cb) = on_click {
                let handler = Closure::<dyn FnMut(JsValue)>::new(move |p: JsValue| cb.run(click_of(&p)));
                i.on("click", handler.as_ref().unchecked_ref());
                // Lives as long as the page; charts are few.
                handler.forget();
            }
            Some(i)
        }
        Err(e) => {
            web_sys::console::error_2(&"chart could not start".into(), &e);
            None
        }
    }
}

/// Resizes the chart with its box (window resizes, sidebar, phone rotation) until it goes.
fn follow_size(node: NodeRef<Div>, instance: Instance) {
    let observer: StoredValue<Option<(web_sys::ResizeObserver, Closure<dyn FnMut()>)>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        let Some(el) = node.get() else { return };
        if observer.with_value(|o| o.is_some()) {
            return;
        }
        let callback = Closure::<dyn FnMut()>::new(move || {
            instance.with_value(|slot| {
                if let Some((i, _)) = slot {
                    i.resize();
                }
            })
        });
        if let Ok(ro) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
            ro.observe(&el);
            observer.set_value(Some((ro, callback)));
        }
    });
    on_cleanup(move || {
        observer.update_value(|o| {
            if let Some((ro, _)) = o.take() {
                ro.disconnect();
            }
        });
    });
}

/// Downloads the chart as a PNG named after it, at twice the screen's resolution, on the
/// page's background (a transparent PNG is unreadable in dark mode).
fn save_png(instance: Instance, name: &str) {
    let url = instance.with_value(|slot| {
        slot.as_ref().map(|(i, dark)| {
            let options = js_sys::Object::new();
            let set = |k: &str, v: JsValue| js_sys::Reflect::set(&options, &k.into(), &v).ok();
            set("type", "png".into());
            set("pixelRatio", 2.into());
            set("backgroundColor", if *dark { "#1b2029" } else { "#ffffff" }.into());
            i.get_data_url(&options)
        })
    });
    let Some(url) = url else { return };
    let Some(a) = document().create_element("a").ok().and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok()) else { return };
    a.set_href(&url);
    a.set_download(&format!("{}.png", name.trim()));
    a.click();
}

/// A chart filling its box, with a button that saves it as PNG. `label` is read by screen
/// readers and names the file.
#[component]
pub fn EChart(
    #[prop(into)] option: Signal<serde_json::Value>,
    #[prop(into)] label: Signal<String>,
    #[prop(optional)] on_click: Option<Callback<ChartClick>>,
    #[prop(optional, into)] class: Option<String>,
) -> impl IntoView {
    let state = use_state();
    let node = NodeRef::<Div>::new();
    let instance: Instance = StoredValue::new_local(None);

    Effect::new(move |_| {
        let chart = option.get();
        let dark = state.dark.get();
        let Some(el) = node.get() else { return };
        instance.update_value(|slot| {
            // A theme change needs a new instance.
            if slot.as_ref().is_some_and(|(_, was_dark)| *was_dark != dark) {
                if let Some((old, _)) = slot.take() {
                    old.dispose();
                }
            }
            if slot.is_none() {
                *slot = start(&el, dark, on_click).map(|i| (i, dark));
            }
            if let Some((i, _)) = slot.as_ref() {
                i.set_option(&to_js(&on_card_colour(chart)), true);
            }
        });
    });
    follow_size(node, instance);
    on_cleanup(move || {
        instance.update_value(|slot| {
            if let Some((i, _)) = slot.take() {
                i.dispose();
            }
        });
    });

    let class = format!("chart {} {}", class.unwrap_or_default(), if on_click.is_some() { "clickable" } else { "" });
    let i18n = use_i18n();
    view! {
        <div class="chart-box">
            <div class=class node_ref=node role="img" aria-label=move || label.get()></div>
            <button class="chart-png" data-testid="chart-png" title=move || t_string!(i18n, save_png) aria-label=move || t_string!(i18n, save_png)
                on:click=move |_| save_png(instance, &label.get_untracked())>"PNG"</button>
        </div>
    }
}
