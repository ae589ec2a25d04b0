/**
 * Importing this installs the `awslambda` global, as the Node.js Lambda runtime does before it
 * loads a handler. middy asks for `awslambda.streamifyResponse` when a streaming handler is
 * created, and the gateway module creates its `handler` at import: import this module first.
 */
import { installLambdaStreamingGlobals } from './lambda-streaming-globals.js';

installLambdaStreamingGlobals();
