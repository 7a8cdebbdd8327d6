/* Last of the CCP page's scripts: every protocol part has registered its observers, so the window may now hear its
   worker and its host (CCP.start in ccp.js). */
'use strict';

CCP.start();
