/* Stands for the connect-streams-dr.js documentation's "amazon-connect-chat.js", which its onFailoverComplete example
   loads again after a switch: records that it ran, and which region's connect it found. */
'use strict';
crm.events.push({kind: 'chat-loaded', data: {windowConnect: activeRegionOfWindowConnect()}});
