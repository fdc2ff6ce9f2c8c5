// The offers this agent holds: who, from which queue, what they wrote (for
// a transfer: who handed it over, when, the note and the recent history),
// and the seconds left to take it.

import { h } from 'preact';
import htm from 'htm';
import { clock } from '../common/clock.js';

const html = htm.bind(h);

const KIND_TEXT = {
  new: 'New conversation',
  transfer: 'Transfer',
  conference: 'Conference',
  direct: 'Direct conversation',
  assign: 'Assigned to you',
};

function Offer({ desk, offer }) {
  const left = offer.expires_at - desk.now.value;
  const total = Math.max(offer.expires_at - (offer.receivedAt || offer.expires_at - 20000), 1000);
  const who = offer.customer.name || offer.customer.id;
  const labelId = `offer-${offer.offer}-title`;
  return html`
    <li
      class="offer"
      data-offer=${offer.offer}
      data-conversation=${offer.conversation}
      data-kind=${offer.kind}
      aria-labelledby=${labelId}
    >
      <p class="offer-title" id=${labelId}>
        <strong>${who}</strong>
        <span class="badge">${KIND_TEXT[offer.kind] || offer.kind}</span>
      </p>
      <p class="offer-where">
        ${offer.queue ? `Queue ${offer.queue}` : 'Direct'}${offer.topic ? ` · topic ${offer.topic}` : ''} · ${offer.channel}
      </p>
      ${offer.from_agent &&
      html`<p class="offer-from">From <strong>${offer.from_agent}</strong>${offer.note ? ':' : ''}
        ${offer.note && html` <q class="offer-note">${offer.note}</q>`}</p>`}
      ${offer.content && html`<p class="offer-content">${offer.content}</p>`}
      <div class="countdown" role="timer" aria-label="Time left to accept">
        <progress max=${total} value=${Math.max(left, 0)} aria-hidden="true"></progress>
        <span class="left">${clock(left)}</span>
      </div>
      <div class="offer-actions">
        <button
          class="accept"
          onClick=${() => desk.accept(offer)}
          aria-label=${`Accept the conversation with ${who}`}
        >
          Accept
        </button>
        <button
          class="secondary reject"
          onClick=${() => desk.reject(offer)}
          aria-label=${`Reject the conversation with ${who}`}
        >
          Reject
        </button>
      </div>
    </li>
  `;
}

export function Offers({ desk }) {
  const offers = desk.offers.value;
  return html`
    <section class="panel offers" aria-labelledby="offers-title">
      <h2 id="offers-title">Offers <span class="count">${offers.length || ''}</span></h2>
      ${offers.length === 0 && html`<p class="empty">No offer right now.</p>`}
      <ul aria-live="polite" aria-relevant="additions">
        ${offers.map((o) => html`<${Offer} key=${o.offer} desk=${desk} offer=${o} />`)}
      </ul>
    </section>
  `;
}
