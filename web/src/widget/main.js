// The customer widget (/widget): docs/consoles.md.
import { h, render } from 'preact';
import '../common/base.css';
import '../common/alerts.css';
import '../common/transcript.css';
import './widget.css';
import { createChat } from './chat.js';
import { readSettings } from './settings.js';
import { Widget } from './view.js';

const chat = createChat(readSettings());
render(h(Widget, { chat }), document.getElementById('app'));
chat.connect();
