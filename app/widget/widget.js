/*! Feedback widget: asks NPS, CSAT or CES and a comment, and posts it exactly once.
 * No dependencies. Embedding and options: the service's README, "Web widget". */
(function (window, document) {
  "use strict";
  if (window.FeedbackWidget && window.FeedbackWidget.version) return; // loaded twice

  var VERSION = "1.0.0";
  var SCRIPT = document.currentScript;
  var PENDING = "feedback-widget:pending"; // answers sent but not yet acknowledged
  var DONE = "feedback-widget:done:"; // + question/touchpoint: answered or dismissed this session
  var RETRIES = 6; // attempts in a row before the visitor is asked to press Send again
  var RETRYABLE = { 0: 1, 408: 1, 425: 1, 429: 1, 500: 1, 502: 1, 503: 1, 504: 1 };

  // The scales of docs/metrics.md and the API: [lowest, highest].
  var SCALES = { nps: [0, 10], csat: [1, 5], ces: [1, 7] };

  // One table per language; add one with FeedbackWidget.strings.xx = {...} (missing keys: English).
  var STRINGS = {
    en: {
      nps: "How likely are you to recommend us to a friend or colleague?",
      nps_low: "Not at all likely",
      nps_high: "Extremely likely",
      csat: "How satisfied were you with our service?",
      csat_low: "Very dissatisfied",
      csat_high: "Very satisfied",
      ces: "How much do you agree: “The company made it easy for me to handle my issue.”",
      ces_low: "Strongly disagree",
      ces_high: "Strongly agree",
      comment: "Anything else you would like to tell us? (optional)",
      send: "Send",
      sending: "Sending…",
      close: "Close",
      choose: "Please choose a score or write a comment.",
      thanks: "Thank you for your feedback!",
      retrying: "Connection problem. Trying again…",
      offline: "Your answer could not be sent yet. Press Send to try again.",
      error: "Sorry, your answer could not be sent."
    },
    ru: {
      nps: "Насколько вероятно, что вы порекомендуете нас другу или коллеге?",
      nps_low: "Совсем маловероятно",
      nps_high: "Очень вероятно",
      csat: "Насколько вы довольны нашим обслуживанием?",
      csat_low: "Совсем не довольны",
      csat_high: "Очень довольны",
      ces: "Насколько вы согласны: «Компания помогла мне легко решить мой вопрос»?",
      ces_low: "Совершенно не согласны",
      ces_high: "Полностью согласны",
      comment: "Хотите что-нибудь добавить? (необязательно)",
      send: "Отправить",
      sending: "Отправка…",
      close: "Закрыть",
      choose: "Пожалуйста, выберите оценку или напишите комментарий.",
      thanks: "Спасибо за ваш отзыв!",
      retrying: "Проблема со связью. Пробуем ещё раз…",
      offline: "Ответ пока не отправлен. Нажмите «Отправить», чтобы попробовать ещё раз.",
      error: "К сожалению, не удалось отправить ваш ответ."
    },
    hu: {
      nps: "Mennyire valószínű, hogy ajánlana minket egy barátjának vagy kollégájának?",
      nps_low: "Egyáltalán nem valószínű",
      nps_high: "Nagyon valószínű",
      csat: "Mennyire volt elégedett a szolgáltatásunkkal?",
      csat_low: "Nagyon elégedetlen",
      csat_high: "Nagyon elégedett",
      ces: "Mennyire ért egyet: „A cég megkönnyítette az ügyem intézését.”",
      ces_low: "Egyáltalán nem értek egyet",
      ces_high: "Teljesen egyetértek",
      comment: "Szeretne még valamit hozzáfűzni? (nem kötelező)",
      send: "Küldés",
      sending: "Küldés…",
      close: "Bezárás",
      choose: "Kérjük, válasszon egy értéket, vagy írjon megjegyzést.",
      thanks: "Köszönjük a visszajelzését!",
      retrying: "Kapcsolódási hiba. Újrapróbálkozunk…",
      offline: "A válaszát még nem sikerült elküldeni. Nyomja meg a Küldés gombot az újrapróbáláshoz.",
      error: "Sajnos nem sikerült elküldeni a válaszát."
    }
  };

  var CSS =
    ":host{all:initial;display:block}" +
    "*{box-sizing:border-box}" +
    "[hidden]{display:none!important}" +
    ".panel{position:relative;font:15px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;" +
    "color:var(--fbw-text,#1a1a1a);background:var(--fbw-background,#fff);border:1px solid #767676;" +
    "border-radius:8px;padding:16px;max-width:28rem}" +
    ".floating{position:fixed;bottom:16px;right:16px;z-index:2147483000;width:calc(100vw - 32px);" +
    "box-shadow:0 6px 24px rgba(0,0,0,.18)}" +
    ".floating.left{right:auto;left:16px}" +
    "@media (prefers-reduced-motion:no-preference){.floating{animation:fbw-in .25s ease-out}}" +
    "@keyframes fbw-in{from{opacity:0;transform:translateY(12px)}}" +
    "fieldset{border:0;margin:0;padding:0;min-width:0}" +
    "legend{font-weight:600;padding:0 2.25rem 0 0;margin:0 0 10px}" +
    ".scale{display:flex;gap:4px}" +
    ".scale label{flex:1 1 0;position:relative;min-width:0}" +
    ".scale input{position:absolute;inset:0;width:100%;height:100%;margin:0;opacity:0;cursor:pointer}" +
    ".box{display:block;text-align:center;padding:7px 0;border:1px solid #767676;border-radius:4px;" +
    "font-variant-numeric:tabular-nums}" +
    ".scale label:hover .box{background:#e8effc}" +
    ".scale input:checked+.box{background:var(--fbw-accent,#0b57d0);border-color:var(--fbw-accent,#0b57d0);" +
    "color:#fff;font-weight:600}" +
    ".ends{display:flex;justify-content:space-between;gap:1em;margin-top:4px;font-size:13px;color:#545454}" +
    ".ends span:last-child{text-align:right}" +
    ".comment{display:block;margin:14px 0 4px}" +
    "textarea{display:block;width:100%;min-height:4.5em;resize:vertical;font:inherit;color:inherit;" +
    "background:inherit;border:1px solid #767676;border-radius:4px;padding:6px 8px}" +
    ".send{margin-top:12px;font:inherit;font-weight:600;color:#fff;background:var(--fbw-accent,#0b57d0);" +
    "border:0;border-radius:4px;padding:8px 18px;cursor:pointer}" +
    ".close{position:absolute;top:8px;right:8px;width:32px;height:32px;font:22px/1 sans-serif;" +
    "color:inherit;background:transparent;border:0;border-radius:4px;cursor:pointer}" +
    ".close:hover{background:#ececec}" +
    "input:focus-visible+.box,textarea:focus-visible,button:focus-visible,.status:focus-visible{" +
    "outline:3px solid var(--fbw-focus,#0b57d0);outline-offset:2px}" +
    // Never display:none: a live region must be in the accessibility tree before it speaks.
    ".status{margin:12px 0 0;font-weight:600}.status:empty{margin:0}" +
    ".status.error{color:#b3261e}" +
    ".sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;" +
    "clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0}" +
    "@media (forced-colors:active){.scale input:checked+.box{outline:3px solid Highlight}}";

  // ---- storage: the answers not yet acknowledged survive a reload (this tab only) ----

  var memory = {};
  function readStore(name) {
    try {
      return JSON.parse(window.sessionStorage.getItem(name) || "null");
    } catch (e) {
      return memory[name] || null; // storage blocked (sandboxed frame, privacy settings)
    }
  }
  function writeStore(name, value) {
    memory[name] = value;
    try {
      if (value === null) window.sessionStorage.removeItem(name);
      else window.sessionStorage.setItem(name, JSON.stringify(value));
    } catch (e) {
      /* kept in memory only */
    }
  }
  function pendingList() {
    var list = readStore(PENDING);
    return Object.prototype.toString.call(list) === "[object Array]" ? list : [];
  }
  function keep(entry) {
    var list = pendingList().filter(function (e) {
      return e.event.event_id !== entry.event.event_id;
    });
    list.push(entry);
    writeStore(PENDING, list);
  }
  function forget(eventId) {
    var list = pendingList().filter(function (e) {
      return e.event.event_id !== eventId;
    });
    writeStore(PENDING, list.length ? list : null);
  }

  // ---- sending: fetch with keepalive, the same event_id on every attempt ----

  function uuid() {
    var crypto = window.crypto;
    if (crypto && crypto.randomUUID) return crypto.randomUUID(); // secure contexts
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map
      .call(b, function (x) {
        return (x + 256).toString(16).slice(1);
      })
      .join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function urlOf(entry) {
    // The publishable key in the URL and a text/plain body make a "simple" request:
    // no CORS preflight, and the same request sendBeacon can make.
    return entry.endpoint.replace(/\/+$/, "") + "/v1/feedback?key=" + encodeURIComponent(entry.key);
  }
  function bodyOf(entry) {
    var event = {};
    for (var name in entry.event) event[name] = entry.event[name];
    event.sent_at = new Date().toISOString(); // the server removes this clock's error
    return JSON.stringify(event);
  }

  var inFlight = {}; // event_id -> true while a fetch is out
  var beaconed = {}; // event_id -> true once handed to sendBeacon in this page

  // Resolves {status, problem, retryAfter}; status 0 = no answer (network).
  function post(entry) {
    var id = entry.event.event_id;
    inFlight[id] = true;
    var request;
    try {
      request = window.fetch(urlOf(entry), {
        method: "POST",
        body: bodyOf(entry),
        headers: { "Content-Type": "text/plain;charset=UTF-8" },
        credentials: "omit",
        keepalive: true // outlives the page if the visitor leaves meanwhile
      });
    } catch (e) {
      request = Promise.reject(e);
    }
    return request.then(
      function (response) {
        delete inFlight[id];
        var result = { status: response.status, retryAfter: Number(response.headers.get("Retry-After")) || 0 };
        if (response.ok || response.status === 409) {
          // 201 stored, 200 already stored (a replay); 409: stored earlier with another body
          forget(id);
          return result;
        }
        return response.json().then(
          function (problem) {
            result.problem = problem;
            return result;
          },
          function () {
            return result;
          }
        );
      },
      function () {
        delete inFlight[id];
        return { status: 0, retryAfter: 0 };
      }
    );
  }

  function delay(attempt, retryAfter) {
    var backoff = Math.min(30000, 1000 * Math.pow(2, attempt)) * (0.8 + 0.4 * Math.random());
    return Math.max(backoff, retryAfter * 1000);
  }

  // Sends until acknowledged, refused, or out of attempts; `report` hears each step.
  function deliver(entry, report, attempt) {
    attempt = attempt || 0;
    post(entry).then(function (result) {
      var status = result.status;
      if (status >= 200 && status < 300 || status === 409) return report("done", result);
      if (!RETRYABLE[status]) {
        forget(entry.event.event_id); // refused as it is: sending it again cannot help
        if (window.console) window.console.warn("Feedback widget: answer refused", status, result.problem);
        return report("error", result);
      }
      if (attempt + 1 >= RETRIES) return report("offline", result);
      report("retrying", result);
      setTimeout(function () {
        deliver(entry, report, attempt + 1);
      }, delay(attempt, result.retryAfter));
    });
  }

  // The page is going away: what still waits for a retry goes as a beacon (text/plain),
  // and stays stored, so the next page of this tab sends it again with the same
  // event_id; the service answers that replay without storing it twice.
  function beaconAll() {
    if (!navigator.sendBeacon) return;
    pendingList().forEach(function (entry) {
      var id = entry.event.event_id;
      if (inFlight[id] || beaconed[id]) return; // a keepalive fetch is already out
      try {
        beaconed[id] = navigator.sendBeacon(urlOf(entry), bodyOf(entry));
      } catch (e) {
        /* the next page retries */
      }
    });
  }
  window.addEventListener("pagehide", beaconAll);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") beaconAll();
  });

  // Answers of earlier pages of this tab that were never acknowledged.
  function flush() {
    pendingList().forEach(function (entry) {
      if (!inFlight[entry.event.event_id]) deliver(entry, function () {});
    });
  }

  // ---- the form ----

  function languages(wanted) {
    return [wanted, document.documentElement.lang].concat(navigator.languages || [navigator.language]);
  }

  // The table for a tag, ignoring case, the most specific first: "zh-hant-tw" finds
  // strings["zh-Hant-TW"], else "zh-Hant", else "zh". Returns the table's own key.
  function table(tag) {
    var keys = Object.keys(STRINGS);
    for (var parts = tag.toLowerCase().split("-"); parts.length; parts.pop()) {
      var want = parts.join("-");
      for (var i = 0; i < keys.length; i++) if (keys[i].toLowerCase() === want) return keys[i];
    }
    return null;
  }

  // The language the widget speaks: the first candidate with a table, else English.
  function language(wanted) {
    var candidates = languages(wanted);
    for (var i = 0; i < candidates.length; i++) {
      var found = candidates[i] && table(String(candidates[i]));
      if (found) return found;
    }
    return "en";
  }

  // The visitor's language, sent with the answer: the first valid BCP 47 tag of the
  // same candidates (a German page is "de" even if the widget speaks English), else
  // the language the widget spoke.
  var BCP47 = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/; // what the API accepts
  function visitorLanguage(wanted, spoken) {
    var candidates = languages(wanted);
    for (var i = 0; i < candidates.length; i++) {
      var tag = String(candidates[i] || "").trim();
      try {
        if (tag && window.Intl && Intl.getCanonicalLocales) tag = Intl.getCanonicalLocales(tag)[0];
      } catch (e) {
        continue; // not a language tag ("en_US", "x")
      }
      if (tag && tag.length <= 35 && BCP47.test(tag)) return tag;
    }
    return spoken;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) {
      if (attrs[name] === true) node.setAttribute(name, "");
      else if (attrs[name] !== false && attrs[name] != null) node.setAttribute(name, attrs[name]);
    }
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  var counter = 0;
  var widgets = [];

  function Widget(options) {
    var self = this;
    var question = SCALES[options.question] ? options.question : "nps";
    var lang = language(options.lang);
    var en = STRINGS.en;
    var strings = STRINGS[lang];
    function t(name) {
      return (options.strings && options.strings[name]) || strings[name] || en[name];
    }
    var scale = SCALES[question];
    var id = "fbw" + ++counter;
    var inline = options.placement === "inline" || !!options.target;
    this.options = options;
    this.doneKey = DONE + question + "/" + (options.touchpoint || "");

    var radios = [];
    for (var v = scale[0]; v <= scale[1]; v++) {
      var end = v === scale[0] ? t(question + "_low") : v === scale[1] ? t(question + "_high") : "";
      radios.push(
        el("label", {}, [
          el("input", { type: "radio", name: id + "-score", value: String(v) }),
          el("span", { class: "box" }, [String(v)].concat(end ? [el("span", { class: "sr" }, [" (" + end + ")"])] : []))
        ])
      );
    }
    var legendId = id + "-q";
    this.status = el("p", { class: "status", role: "status", tabindex: "-1" });
    this.comment = el("textarea", { id: id + "-c", name: "comment", maxlength: "5000", rows: "3" });
    this.send = el("button", { type: "submit", class: "send" }, [t("send")]);
    this.form = el("form", { novalidate: true }, [
      el("fieldset", {}, [
        el("legend", { id: legendId }, [options.text || t(question)]),
        el("div", { class: "scale" }, radios),
        // Read out with the end values already (.sr above): shown for the eye only.
        el("div", { class: "ends", "aria-hidden": "true" }, [
          el("span", {}, [t(question + "_low")]),
          el("span", {}, [t(question + "_high")])
        ])
      ]),
      el("label", { class: "comment", for: id + "-c" }, [t("comment")]),
      this.comment,
      this.send
    ]);
    var children = [];
    if (!inline) {
      this.closeButton = el("button", { type: "button", class: "close", "aria-label": t("close") }, ["×"]);
      children.push(this.closeButton);
    }
    this.panel = el(
      "section",
      {
        class: "panel" + (inline ? "" : " floating" + (options.placement === "bottom-left" ? " left" : "")),
        lang: lang,
        "aria-labelledby": legendId
      },
      children.concat([this.form, this.status])
    );
    this.host = el("feedback-widget", { "data-question": question });
    var root = this.host.attachShadow({ mode: "open" });
    try {
      // A constructed style sheet is not inline style: pages whose Content-Security-Policy
      // refuses 'unsafe-inline' styles still style the widget.
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      root.appendChild(el("style", {}, [CSS])); // older browsers
    }
    root.appendChild(this.panel);

    this.t = t;
    this.question = question;
    this.lang = lang;
    this.visitorLang = visitorLanguage(options.lang, lang);
    this.sending = false;
    this.form.addEventListener("submit", function (e) {
      e.preventDefault();
      self.submit();
    });
    this.panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && !inline) {
        e.stopPropagation();
        self.close();
      }
    });
    if (this.closeButton) {
      this.closeButton.addEventListener("click", function () {
        self.close();
      });
    }
    var container = options.target
      ? typeof options.target === "string"
        ? document.querySelector(options.target)
        : options.target
      : document.body;
    if (!container) throw new Error("Feedback widget: no element matches target " + options.target);
    this.returnFocus = document.activeElement;
    container.appendChild(this.host);
    widgets.push(this);
    if (options.focus) this.form.querySelector("input").focus();
  }

  Widget.prototype.say = function (name, isError) {
    this.status.className = "status" + (isError ? " error" : "");
    this.status.textContent = name ? this.t(name) : "";
  };

  Widget.prototype.submit = function () {
    var self = this;
    if (this.sending) return;
    var checked = this.form.querySelector("input:checked");
    var comment = this.comment.value.replace(/\u0000/g, "").trim();
    if (!checked && !comment) return this.say("choose", true);
    var event = this.event || { event_id: uuid(), occurred_at: new Date().toISOString() };
    // One answer, one event_id, kept until acknowledged: a changed answer after a failed
    // attempt reuses it, so whatever arrives first is stored once (a later body is a 409).
    event = {
      event_id: event.event_id,
      occurred_at: event.occurred_at,
      channel: this.options.channel || "web",
      language: this.visitorLang
    };
    if (this.options.touchpoint) event.touchpoint = this.options.touchpoint;
    if (this.options.location) event.location_id = this.options.location;
    if (this.options.tags) event.tags = this.options.tags;
    if (this.options.attributes) event.attributes = this.options.attributes;
    if (checked) event[this.question] = Number(checked.value);
    if (comment) event.comment = comment;
    this.event = event;
    var entry = { endpoint: this.options.endpoint, key: this.options.key, done: this.doneKey, event: event };
    keep(entry);
    // Answered: from now on this tab does not ask again, whether or not this page lives
    // to see the acknowledgement (the next page delivers the kept answer instead).
    writeStore(this.doneKey, 1);
    this.sending = true;
    this.send.textContent = this.t("sending");
    deliver(entry, function (state) {
      if (state === "retrying") return self.say("retrying");
      self.sending = false;
      self.send.textContent = self.t("send");
      if (state === "done") return self.finish();
      if (state === "error") self.event = null; // nothing was stored: a new answer, a new id
      self.say(state, true);
    });
  };

  Widget.prototype.finish = function () {
    var hadFocus = this.host.shadowRoot.activeElement;
    writeStore(this.doneKey, 1);
    this.form.hidden = true;
    this.say("thanks");
    if (hadFocus) (this.closeButton || this.status).focus(); // focus must not fall to <body>
    if (typeof this.options.onSent === "function") this.options.onSent(this.event);
  };

  Widget.prototype.close = function () {
    var hadFocus = this.host.shadowRoot.activeElement;
    if (!this.event) writeStore(this.doneKey, 1); // dismissed: not asked again this session
    if (this.host.parentNode) this.host.parentNode.removeChild(this.host);
    widgets = widgets.filter(function (w) {
      return w !== this;
    }, this);
    if (hadFocus && this.returnFocus && this.returnFocus.focus) this.returnFocus.focus();
  };

  function configure(options) {
    var o = {};
    for (var name in options || {}) o[name] = options[name];
    o.key = o.key || (SCRIPT && SCRIPT.getAttribute("data-key"));
    if (!o.key) throw new Error("Feedback widget: a publishable key is needed (data-key or key)");
    o.endpoint = o.endpoint || (SCRIPT && SCRIPT.getAttribute("data-endpoint")) || (SCRIPT && new URL(SCRIPT.src, location.href).origin);
    return o;
  }

  window.FeedbackWidget = {
    version: VERSION,
    strings: STRINGS,
    scales: SCALES,
    // Opens a widget; options as the data- attributes, plus focus, strings, tags, attributes, onSent.
    open: function (options) {
      var o = configure(options);
      if (o.focus === undefined) o.focus = true;
      return new Widget(o);
    },
    close: function () {
      widgets.slice().forEach(function (w) {
        w.close();
      });
    },
    flush: flush
  };

  // <script ... data-key="..."> opens one by itself, once per tab session.
  function auto() {
    flush();
    if (!SCRIPT || !SCRIPT.getAttribute("data-key") || SCRIPT.getAttribute("data-auto") === "false") return;
    var d = SCRIPT.dataset;
    var options = configure({
      question: d.question,
      touchpoint: d.touchpoint,
      location: d.location,
      channel: d.channel,
      lang: d.lang,
      text: d.text,
      placement: d.placement,
      target: d.target,
      focus: false // appearing by itself, it must not take the visitor's focus
    });
    var doneKey = DONE + (SCALES[options.question] ? options.question : "nps") + "/" + (options.touchpoint || "");
    var waiting = pendingList().some(function (entry) {
      return entry.done === doneKey; // answered on an earlier page, not yet acknowledged
    });
    if (!waiting && !readStore(doneKey)) new Widget(options);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", auto);
  else auto();
})(window, document);
