// @paypal/checkout-server-sdk ships no types. One declaration for every workspace that uses it
// (payment: orders, captures, refunds; pledge-ledger: its HTTP client for transaction search;
// provider-fakes tests). Only what the suite calls is declared.
declare namespace paypal {
  interface HttpRequest {
    path: string;
    verb: string;
    headers: Record<string, string>;
    body?: unknown;
  }
  interface HttpResponse<T> {
    statusCode: number;
    headers: Record<string, string>;
    result: T;
  }
  namespace core {
    class PayPalEnvironment {
      constructor(clientId: string, clientSecret: string, baseUrl: string, webUrl: string);
      baseUrl: string;
    }
    class PayPalHttpClient {
      constructor(environment: PayPalEnvironment);
      execute<T = unknown>(request: unknown): Promise<HttpResponse<T>>;
      /** @paypal/paypalhttp's body serializer (by Content-Type); public on HttpClient. */
      encoder: { serializeRequest(request: HttpRequest): string | Buffer };
    }
  }
  namespace orders {
    class OrdersCreateRequest {
      headers: Record<string, string>;
      prefer(value: string): this;
      requestBody(body: unknown): this;
    }
    class OrdersCaptureRequest {
      constructor(orderId: string);
      payPalRequestId(id: string): this;
      prefer(value: string): this;
      requestBody(body: unknown): this;
    }
    class OrdersGetRequest {
      constructor(orderId: string);
    }
  }
  namespace payments {
    class CapturesRefundRequest {
      constructor(captureId: string);
      payPalRequestId(id: string): this;
      prefer(value: string): this;
      requestBody(body: unknown): this;
    }
  }
}
export = paypal;
