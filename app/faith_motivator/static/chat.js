// The chat page: sends the message, shows the reply and its verses in the live log.
"use strict";

(function () {
  const form = document.getElementById("chat-form");
  const box = document.getElementById("message");
  const log = document.getElementById("conversation");
  const statusLine = document.getElementById("status");
  const send = document.getElementById("send");
  // Per tab: a new tab is a new conversation, and nothing outlives the browser session.
  const SESSION_KEY = "faith-motivator-session";

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function addTurn(who, text) {
    const turn = element("div", "turn");
    turn.appendChild(element("span", "who", who));
    turn.appendChild(element("p", "text", text));
    log.appendChild(turn);
    return turn;
  }

  function showReply(data) {
    const turn = addTurn("Faith Motivator:", data.reply);
    turn.classList.add("reply");
    for (const verse of data.verses) {
      turn.appendChild(element("blockquote", "verse", `${verse.text} (${verse.reference}, ${verse.translation})`));
    }
    if (data.resources && data.resources.length) {
      const list = element("ul", "resources");
      for (const r of data.resources) {
        const item = element("li");
        item.appendChild(element("strong", "", `${r.name}: `));
        item.appendChild(document.createTextNode(r.contact));
        if (r.url) {
          const link = element("a", "", r.url);
          link.href = r.url;
          item.appendChild(document.createTextNode(" "));
          item.appendChild(link);
        }
        list.appendChild(item);
      }
      turn.appendChild(list);
    }
  }

  async function submit() {
    const message = box.value.trim();
    if (!message) {
      statusLine.textContent = "Please type a message first.";
      box.focus();
      return;
    }
    send.disabled = true;
    statusLine.textContent = "Sending…";
    addTurn("You:", message);
    const body = { message };
    const session = sessionStorage.getItem(SESSION_KEY);
    if (session) body.session_id = session;
    try {
      const response = await fetch("/v1/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      const data = await response.json();
      if (response.ok) {
        sessionStorage.setItem(SESSION_KEY, data.session_id);
        showReply(data);
        box.value = "";
        statusLine.textContent = "";
      } else if (response.status === 429) {
        statusLine.textContent = `Too many messages. Please wait ${response.headers.get("Retry-After") || "a few"} seconds.`;
      } else {
        const detail = Array.isArray(data.detail) ? data.detail.map((d) => d.message).join("; ") : data.detail;
        statusLine.textContent = `Sorry, that did not work: ${detail}`;
      }
    } catch (error) {
      statusLine.textContent = "Sorry, the service could not be reached. Please try again.";
    } finally {
      send.disabled = false;
      box.focus();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
})();
